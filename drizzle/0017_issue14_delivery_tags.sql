DROP INDEX `deliveries_provider_idx`;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `tagged` integer;--> statement-breakpoint
CREATE INDEX `deliveries_provider_idx` ON `deliveries` (`provider_id`) WHERE provider_id is not null and tagged is null;--> statement-breakpoint
ALTER TABLE `webhook_pending` ADD `delivery_id` integer;