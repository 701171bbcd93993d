CREATE TABLE `signup_sources` (
	`day` integer NOT NULL,
	`no_source` integer NOT NULL,
	`source` text NOT NULL,
	`signups` integer DEFAULT 0 NOT NULL,
	`confirmed` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `no_source`, `source`)
);
