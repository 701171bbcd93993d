CREATE TABLE `campaign_counts` (
	`campaign_id` integer PRIMARY KEY NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`delivered` integer DEFAULT 0 NOT NULL,
	`bounced` integer DEFAULT 0 NOT NULL,
	`complained` integer DEFAULT 0 NOT NULL,
	`status_sent` integer DEFAULT 0 NOT NULL,
	`status_failed` integer DEFAULT 0 NOT NULL,
	`status_skipped` integer DEFAULT 0 NOT NULL,
	`clickers` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `link_counts` (
	`link_id` integer PRIMARY KEY NOT NULL,
	`readers` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`link_id`) REFERENCES `campaign_links`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `signup_days` (
	`day` integer PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriber_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `subscribers_consent_source_idx` ON `subscribers` (`consent_at`,`consent_source`,`confirmed_at`,`status`);--> statement-breakpoint
CREATE INDEX `link_clicks_campaign_subscriber_idx` ON `link_clicks` (`campaign_id`,`subscriber_id`);