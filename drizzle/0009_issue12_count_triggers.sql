-- Written by hand (drizzle-kit has no triggers, and mangles an expression index): the running
-- totals of src/db/schema/counts.ts, filled from what is there, then kept by triggers on every
-- write to the ledger, the clicks and the readers; and the index of unsubscribes by campaign. A ledger row
-- inserted as plain 'queued' (the million rows a send starts with) fires no trigger work.
INSERT INTO `campaign_counts` (`campaign_id`, `sent`, `delivered`, `bounced`, `complained`, `status_sent`, `status_failed`, `status_skipped`)
SELECT `campaign_id`, count(`sent_at`), count(`delivered_at`), count(`bounced_at`), count(`complained_at`),
  sum(`status` = 'sent'), sum(`status` = 'failed'), sum(`status` = 'skipped')
FROM `deliveries` GROUP BY `campaign_id`;
--> statement-breakpoint
INSERT INTO `campaign_counts` (`campaign_id`, `clickers`)
SELECT `campaign_id`, count(DISTINCT `subscriber_id`) FROM `link_clicks` WHERE `subscriber_id` IS NOT NULL GROUP BY `campaign_id`
ON CONFLICT (`campaign_id`) DO UPDATE SET `clickers` = excluded.`clickers`;
--> statement-breakpoint
INSERT INTO `link_counts` (`link_id`, `readers`, `clicks`)
SELECT `link_id`, count(*), sum(`clicks`) FROM `link_clicks` WHERE `subscriber_id` IS NOT NULL GROUP BY `link_id`;
--> statement-breakpoint
INSERT INTO `signup_days` (`day`, `n`)
SELECT `consent_at` / 86400000, count(*) FROM `subscribers` WHERE `consent_at` IS NOT NULL GROUP BY 1;
--> statement-breakpoint
INSERT INTO `subscriber_counts` (`status`, `n`) SELECT `status`, count(*) FROM `subscribers` GROUP BY `status`;
--> statement-breakpoint
CREATE TRIGGER `deliveries_counts_insert` AFTER INSERT ON `deliveries`
WHEN new.sent_at IS NOT NULL OR new.delivered_at IS NOT NULL OR new.bounced_at IS NOT NULL OR new.complained_at IS NOT NULL OR new.status <> 'queued'
BEGIN
  INSERT INTO campaign_counts (campaign_id, sent, delivered, bounced, complained, status_sent, status_failed, status_skipped)
  VALUES (new.campaign_id, (new.sent_at IS NOT NULL), (new.delivered_at IS NOT NULL), (new.bounced_at IS NOT NULL), (new.complained_at IS NOT NULL), (new.status = 'sent'), (new.status = 'failed'), (new.status = 'skipped'))
  ON CONFLICT (campaign_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, bounced = bounced + excluded.bounced, complained = complained + excluded.complained, status_sent = status_sent + excluded.status_sent, status_failed = status_failed + excluded.status_failed, status_skipped = status_skipped + excluded.status_skipped;
END;
--> statement-breakpoint
CREATE TRIGGER `deliveries_counts_update` AFTER UPDATE OF campaign_id, status, sent_at, delivered_at, bounced_at, complained_at ON `deliveries`
WHEN old.campaign_id IS NOT new.campaign_id OR old.status IS NOT new.status OR (old.sent_at IS NULL) <> (new.sent_at IS NULL) OR (old.delivered_at IS NULL) <> (new.delivered_at IS NULL) OR (old.bounced_at IS NULL) <> (new.bounced_at IS NULL) OR (old.complained_at IS NULL) <> (new.complained_at IS NULL)
BEGIN
  UPDATE campaign_counts SET sent = sent - (old.sent_at IS NOT NULL), delivered = delivered - (old.delivered_at IS NOT NULL), bounced = bounced - (old.bounced_at IS NOT NULL), complained = complained - (old.complained_at IS NOT NULL), status_sent = status_sent - (old.status = 'sent'), status_failed = status_failed - (old.status = 'failed'), status_skipped = status_skipped - (old.status = 'skipped')
  WHERE campaign_id = old.campaign_id;
  INSERT INTO campaign_counts (campaign_id, sent, delivered, bounced, complained, status_sent, status_failed, status_skipped)
  VALUES (new.campaign_id, (new.sent_at IS NOT NULL), (new.delivered_at IS NOT NULL), (new.bounced_at IS NOT NULL), (new.complained_at IS NOT NULL), (new.status = 'sent'), (new.status = 'failed'), (new.status = 'skipped'))
  ON CONFLICT (campaign_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, bounced = bounced + excluded.bounced, complained = complained + excluded.complained, status_sent = status_sent + excluded.status_sent, status_failed = status_failed + excluded.status_failed, status_skipped = status_skipped + excluded.status_skipped;
END;
--> statement-breakpoint
-- An UPDATE, never an insert: when a campaign is deleted its counts row goes with it.
CREATE TRIGGER `deliveries_counts_delete` AFTER DELETE ON `deliveries`
WHEN old.sent_at IS NOT NULL OR old.delivered_at IS NOT NULL OR old.bounced_at IS NOT NULL OR old.complained_at IS NOT NULL OR old.status <> 'queued'
BEGIN
  UPDATE campaign_counts SET sent = sent - (old.sent_at IS NOT NULL), delivered = delivered - (old.delivered_at IS NOT NULL), bounced = bounced - (old.bounced_at IS NOT NULL), complained = complained - (old.complained_at IS NOT NULL), status_sent = status_sent - (old.status = 'sent'), status_failed = status_failed - (old.status = 'failed'), status_skipped = status_skipped - (old.status = 'skipped')
  WHERE campaign_id = old.campaign_id;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_counts_insert` AFTER INSERT ON `subscribers`
BEGIN
  INSERT INTO subscriber_counts (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_counts_update` AFTER UPDATE OF status ON `subscribers` WHEN old.status IS NOT new.status
BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = old.status;
  INSERT INTO subscriber_counts (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_counts_delete` AFTER DELETE ON `subscribers`
BEGIN
  UPDATE subscriber_counts SET n = n - 1 WHERE status = old.status;
END;
--> statement-breakpoint
-- A reader's first row for a campaign makes them a clicker; their last one going (or losing its
-- reader on erasure, ON DELETE SET NULL) makes them not. link_clicks_campaign_subscriber_idx
-- answers the NOT EXISTS.
CREATE TRIGGER `link_clicks_counts_insert` AFTER INSERT ON `link_clicks` WHEN new.subscriber_id IS NOT NULL
BEGIN
  INSERT INTO link_counts (link_id, readers, clicks) VALUES (new.link_id, 1, new.clicks)
  ON CONFLICT (link_id) DO UPDATE SET readers = readers + 1, clicks = clicks + excluded.clicks;
  INSERT INTO campaign_counts (campaign_id, clickers)
  SELECT new.campaign_id, 1 WHERE NOT EXISTS (SELECT 1 FROM link_clicks WHERE campaign_id = new.campaign_id AND subscriber_id = new.subscriber_id AND id <> new.id)
  ON CONFLICT (campaign_id) DO UPDATE SET clickers = clickers + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `link_clicks_counts_update` AFTER UPDATE OF subscriber_id, clicks ON `link_clicks`
WHEN old.subscriber_id IS NOT new.subscriber_id OR old.clicks IS NOT new.clicks
BEGIN
  UPDATE link_counts SET readers = readers - 1, clicks = clicks - old.clicks WHERE link_id = old.link_id AND old.subscriber_id IS NOT NULL;
  INSERT INTO link_counts (link_id, readers, clicks) SELECT new.link_id, 1, new.clicks WHERE new.subscriber_id IS NOT NULL
  ON CONFLICT (link_id) DO UPDATE SET readers = readers + 1, clicks = clicks + excluded.clicks;
  UPDATE campaign_counts SET clickers = clickers - 1
  WHERE campaign_id = old.campaign_id AND old.subscriber_id IS NOT NULL AND old.subscriber_id IS NOT new.subscriber_id
    AND NOT EXISTS (SELECT 1 FROM link_clicks WHERE campaign_id = old.campaign_id AND subscriber_id = old.subscriber_id);
  INSERT INTO campaign_counts (campaign_id, clickers)
  SELECT new.campaign_id, 1 WHERE new.subscriber_id IS NOT NULL AND old.subscriber_id IS NOT new.subscriber_id
    AND NOT EXISTS (SELECT 1 FROM link_clicks WHERE campaign_id = new.campaign_id AND subscriber_id = new.subscriber_id AND id <> new.id)
  ON CONFLICT (campaign_id) DO UPDATE SET clickers = clickers + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `link_clicks_counts_delete` AFTER DELETE ON `link_clicks` WHEN old.subscriber_id IS NOT NULL
BEGIN
  UPDATE link_counts SET readers = readers - 1, clicks = clicks - old.clicks WHERE link_id = old.link_id;
  UPDATE campaign_counts SET clickers = clickers - 1
  WHERE campaign_id = old.campaign_id AND NOT EXISTS (SELECT 1 FROM link_clicks WHERE campaign_id = old.campaign_id AND subscriber_id = old.subscriber_id);
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_days_insert` AFTER INSERT ON `subscribers` WHEN new.consent_at IS NOT NULL
BEGIN
  INSERT INTO signup_days (day, n) VALUES (new.consent_at / 86400000, 1) ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_days_update` AFTER UPDATE OF consent_at ON `subscribers` WHEN old.consent_at IS NOT new.consent_at
BEGIN
  UPDATE signup_days SET n = n - 1 WHERE old.consent_at IS NOT NULL AND day = old.consent_at / 86400000;
  INSERT INTO signup_days (day, n) SELECT new.consent_at / 86400000, 1 WHERE new.consent_at IS NOT NULL
  ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_days_delete` AFTER DELETE ON `subscribers` WHEN old.consent_at IS NOT NULL
BEGIN
  UPDATE signup_days SET n = n - 1 WHERE day = old.consent_at / 86400000;
END;
--> statement-breakpoint
CREATE INDEX `subscriber_events_unsubscribed_campaign_idx` ON `subscriber_events` (json_extract(`detail`, '$.campaignId'), `subscriber_id`) WHERE `type` = 'unsubscribed';
