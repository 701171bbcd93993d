CREATE TABLE `erased_addresses` (
	`hash` text PRIMARY KEY NOT NULL,
	`erased_on` integer NOT NULL
);
