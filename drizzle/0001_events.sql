CREATE TABLE `complaint_holds` (
	`campaign_id` integer PRIMARY KEY NOT NULL,
	`complaints` integer NOT NULL,
	`base` integer NOT NULL,
	`threshold` real NOT NULL,
	`token` text NOT NULL,
	`held_at` integer NOT NULL,
	`released_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `campaign_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`position` integer NOT NULL,
	`url` text NOT NULL,
	`anonymous_clicks` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaign_links_position_unique` ON `campaign_links` (`campaign_id`,`position`);--> statement-breakpoint
CREATE TABLE `campaign_tracking` (
	`campaign_id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`clicks` integer NOT NULL,
	`opens` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `link_clicks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`link_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`subscriber_id` integer,
	`clicks` integer DEFAULT 1 NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	FOREIGN KEY (`link_id`) REFERENCES `campaign_links`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `link_clicks_link_subscriber_unique` ON `link_clicks` (`link_id`,`subscriber_id`);--> statement-breakpoint
CREATE INDEX `link_clicks_campaign_idx` ON `link_clicks` (`campaign_id`);--> statement-breakpoint
CREATE INDEX `link_clicks_subscriber_idx` ON `link_clicks` (`subscriber_id`);--> statement-breakpoint
CREATE TABLE `webhook_pending` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provider_id` text NOT NULL,
	`campaign_id` integer,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_pending_provider_idx` ON `webhook_pending` (`provider_id`);--> statement-breakpoint
CREATE INDEX `webhook_pending_received_idx` ON `webhook_pending` (`received_at`);--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`svix_id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_received_idx` ON `webhook_receipts` (`received_at`);