-- Hand-written (drizzle-kit generate --custom): expression indexes for the readers search, which
-- drizzle-kit cannot express. The search (src/subscribers/reader-filter.ts) matches the start of
-- the address, of its domain, of the name, or of the name's second and later words, each a range
-- on one of these indexes (or on the address's and mailbox's unique indexes) instead of a scan of
-- every reader. The expressions must stay exactly as the search writes them.
CREATE INDEX `subscribers_domain_idx` ON `subscribers` (substr(`email`, instr(`email`, '@') + 1));--> statement-breakpoint
CREATE INDEX `subscribers_name_idx` ON `subscribers` (`name` COLLATE NOCASE);--> statement-breakpoint
CREATE INDEX `subscribers_name_rest_idx` ON `subscribers` (substr(`name`, instr(`name`, ' ') + 1) COLLATE NOCASE);
--> statement-breakpoint
-- The send page's audience of a digest or custom campaign: the active readers (subscriber_counts,
-- kept by triggers) less the active readers who turned the topic off, a few, found in these
-- partial indexes rather than by reading an index entry per active reader. A row that does not
-- match the WHERE costs an import nothing here.
CREATE INDEX `subscribers_active_without_digest_idx` ON `subscribers` (`id`) WHERE `status` = 'active' AND `wants_digest` = 0;--> statement-breakpoint
CREATE INDEX `subscribers_active_without_appeals_idx` ON `subscribers` (`id`) WHERE `status` = 'active' AND `wants_appeals` = 0;
