CREATE TABLE `signup_sources` (
	`day` integer NOT NULL,
	`source` text,
	`signups` integer DEFAULT 0 NOT NULL,
	`confirmed` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `signup_sources_day_source_unique` ON `signup_sources` (`day`,`source`);