CREATE TABLE `transactional_mail` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subscriber_id` integer NOT NULL,
	`kind` text NOT NULL,
	`issued_at` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`lease_until` integer,
	`provider_id` text,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`sent_at` integer,
	FOREIGN KEY (`subscriber_id`) REFERENCES `subscribers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `transactional_mail_key_unique` ON `transactional_mail` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `transactional_mail_due_idx` ON `transactional_mail` (`status`,`not_before`);--> statement-breakpoint
CREATE INDEX `transactional_mail_subscriber_idx` ON `transactional_mail` (`subscriber_id`);--> statement-breakpoint
ALTER TABLE `subscribers` ADD `mailbox` text;--> statement-breakpoint
-- Hand-written backfill (issue 9): the mailbox key of every existing reader, computed as
-- src/subscribers/mailbox.ts does (local part without its +tag, ASCII lower-case; Gmail's dots
-- dropped and googlemail.com read as gmail.com), built up in the new column step by step.
UPDATE `subscribers` SET `mailbox` = substr(`email`, 1, instr(`email`, '@') - 1);--> statement-breakpoint
UPDATE `subscribers` SET `mailbox` = substr(`mailbox`, 1, instr(`mailbox`, '+') - 1) WHERE instr(`mailbox`, '+') > 1;--> statement-breakpoint
UPDATE `subscribers` SET `mailbox` = lower(`mailbox`);--> statement-breakpoint
UPDATE `subscribers` SET `mailbox` = replace(`mailbox`, '.', '') || '@gmail.com'
  WHERE substr(`email`, instr(`email`, '@') + 1) IN ('gmail.com', 'googlemail.com');--> statement-breakpoint
UPDATE `subscribers` SET `mailbox` = `mailbox` || '@' || substr(`email`, instr(`email`, '@') + 1)
  WHERE substr(`email`, instr(`email`, '@') + 1) NOT IN ('gmail.com', 'googlemail.com');--> statement-breakpoint
-- Readers who already share a mailbox stay as they are (the earliest keeps the key, the others
-- keep null, which the unique index allows), so the index can be built on any existing data.
UPDATE `subscribers` SET `mailbox` = NULL
  WHERE `id` NOT IN (SELECT min(`id`) FROM `subscribers` GROUP BY `mailbox`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_mailbox_unique` ON `subscribers` (`mailbox`);