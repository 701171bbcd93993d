CREATE INDEX `deliveries_sent_idx` ON `deliveries` (`campaign_id`) WHERE sent_at is not null;--> statement-breakpoint
CREATE INDEX `deliveries_delivered_idx` ON `deliveries` (`campaign_id`) WHERE delivered_at is not null;--> statement-breakpoint
CREATE INDEX `deliveries_bounced_idx` ON `deliveries` (`campaign_id`) WHERE bounced_at is not null;--> statement-breakpoint
CREATE INDEX `deliveries_complained_idx` ON `deliveries` (`campaign_id`) WHERE complained_at is not null;