CREATE TABLE `articles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guid` text NOT NULL,
	`url` text NOT NULL,
	`title` text NOT NULL,
	`author` text,
	`excerpt` text DEFAULT '' NOT NULL,
	`image_url` text,
	`image_alt` text,
	`image_width` integer,
	`image_height` integer,
	`categories` text DEFAULT '[]' NOT NULL,
	`published_at` integer NOT NULL,
	`updated_at_source` integer,
	`source` text DEFAULT 'feed' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `articles_guid_unique` ON `articles` (`guid`);--> statement-breakpoint
CREATE INDEX `articles_url_idx` ON `articles` (`url`);--> statement-breakpoint
CREATE INDEX `articles_published_idx` ON `articles` (`published_at`);--> statement-breakpoint
CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`subject` text NOT NULL,
	`preheader` text,
	`topic` text NOT NULL,
	`content` text NOT NULL,
	`exclude_donors` integer DEFAULT false NOT NULL,
	`iso_week` text,
	`period_start` integer,
	`period_end` integer,
	`scheduled_at` integer,
	`started_at` integer,
	`finished_at` integer,
	`status_reason` text,
	`rendered_subject` text,
	`rendered_html` text,
	`rendered_text` text,
	`placeholder_nonce` text,
	`audience_count` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `campaigns_iso_week_unique` ON `campaigns` (`iso_week`);--> statement-breakpoint
CREATE INDEX `campaigns_status_idx` ON `campaigns` (`status`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`subscriber_id` integer,
	`chunk` integer NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`email` text,
	`name` text,
	`provider_id` text,
	`error` text,
	`sent_at` integer,
	`delivered_at` integer,
	`bounced_at` integer,
	`complained_at` integer,
	`opened_at` integer,
	`clicked_at` integer,
	`last_event` text,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_campaign_subscriber_unique` ON `deliveries` (`campaign_id`,`subscriber_id`);--> statement-breakpoint
CREATE INDEX `deliveries_campaign_chunk_idx` ON `deliveries` (`campaign_id`,`chunk`);--> statement-breakpoint
CREATE INDEX `deliveries_provider_idx` ON `deliveries` (`provider_id`);--> statement-breakpoint
CREATE INDEX `deliveries_subscriber_idx` ON `deliveries` (`subscriber_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `send_chunks` (
	`campaign_id` integer NOT NULL,
	`chunk` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`lease_until` integer,
	`not_before` integer,
	`first_tried_at` integer,
	`last_error` text,
	`sent_at` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `campaigns`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `send_chunks_pk` ON `send_chunks` (`campaign_id`,`chunk`);--> statement-breakpoint
CREATE INDEX `send_chunks_status_idx` ON `send_chunks` (`status`,`not_before`);--> statement-breakpoint
CREATE TABLE `outbox_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`from` text NOT NULL,
	`to` text NOT NULL,
	`subject` text NOT NULL,
	`html` text NOT NULL,
	`text` text NOT NULL,
	`headers` text NOT NULL,
	`tags` text NOT NULL,
	`idempotency_key` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `outbox_messages_created_idx` ON `outbox_messages` (`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_messages_idempotency_idx` ON `outbox_messages` (`idempotency_key`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscriber_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscriber_id` integer NOT NULL,
	`type` text NOT NULL,
	`detail` text,
	`ip` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriber_events_subscriber_idx` ON `subscriber_events` (`subscriber_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`wants_digest` integer DEFAULT true NOT NULL,
	`wants_appeals` integer DEFAULT true NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`consent_at` integer,
	`consent_ip` text,
	`consent_user_agent` text,
	`consent_source` text,
	`consent_wording` text,
	`confirmed_at` integer,
	`confirm_ip` text,
	`unsubscribed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE INDEX `subscribers_status_idx` ON `subscribers` (`status`);