ALTER TABLE `articles` ADD `image_sizes` text;--> statement-breakpoint
ALTER TABLE `articles` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `articles` ADD `withdrawn_reason` text;