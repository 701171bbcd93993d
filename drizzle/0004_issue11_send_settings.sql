ALTER TABLE `campaigns` ADD `send_settings` text;--> statement-breakpoint
ALTER TABLE `send_chunks` ADD `in_doubt_since` integer;