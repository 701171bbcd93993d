-- Generated (the table), then WITHOUT ROWID added and the rest written by hand (drizzle-kit has
-- no triggers): subscriber_tags (src/db/schema/subscribers.ts) is an index of subscribers.tags,
-- one row per reader and tag, so that the readers list filtered by a tag reads that tag's readers
-- in id order (src/subscribers/reader-page.ts) instead of testing every reader's JSON. Filled
-- from the readers there are, then kept by triggers on every write of a reader's tags: a reader
-- without tags ('[]', most of an import) costs an insert nothing but the WHEN test. Tags that are
-- not valid JSON are not indexed, rather than failing the write.
CREATE TABLE `subscriber_tags` (
	`tag` text NOT NULL,
	`subscriber_id` integer NOT NULL,
	PRIMARY KEY(`tag`, `subscriber_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT OR IGNORE INTO `subscriber_tags` (`tag`, `subscriber_id`)
SELECT t.value, s.id FROM `subscribers` s, json_each(s.tags) t
WHERE s.tags <> '[]' AND json_valid(s.tags) AND t.type = 'text';
--> statement-breakpoint
CREATE TRIGGER `subscribers_tags_insert` AFTER INSERT ON `subscribers` WHEN new.tags <> '[]' AND json_valid(new.tags)
BEGIN
  INSERT OR IGNORE INTO subscriber_tags (tag, subscriber_id) SELECT value, new.id FROM json_each(new.tags) WHERE type = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_tags_update` AFTER UPDATE OF tags, id ON `subscribers` WHEN old.tags IS NOT new.tags OR old.id <> new.id
BEGIN
  DELETE FROM subscriber_tags WHERE subscriber_id = old.id AND tag IN (SELECT value FROM json_each(CASE WHEN json_valid(old.tags) THEN old.tags ELSE '[]' END));
  INSERT OR IGNORE INTO subscriber_tags (tag, subscriber_id)
  SELECT value, new.id FROM json_each(CASE WHEN json_valid(new.tags) THEN new.tags ELSE '[]' END) WHERE type = 'text';
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_tags_delete` AFTER DELETE ON `subscribers` WHEN old.tags <> '[]' AND json_valid(old.tags)
BEGIN
  DELETE FROM subscriber_tags WHERE subscriber_id = old.id AND tag IN (SELECT value FROM json_each(old.tags));
END;
