-- Written by hand (drizzle-kit has no triggers): the running totals' rule for an updated delivery
-- (drizzle 0009) as one statement per row where it was two. Marking a chunk sent updates 100
-- rows, and the trigger's two statements a row were ~0.7 ms of the 4 ms that took (BENCHMARKS.md,
-- issue 14). A delivery that stays in its campaign (every writer: the send, webhooks, erasure,
-- pausing) adds the difference between its new and old state in one upsert; moving one to another
-- campaign (nothing does, but the rule holds) takes it out of the old totals and into the new.
DROP TRIGGER `deliveries_counts_update`;
--> statement-breakpoint
CREATE TRIGGER `deliveries_counts_update` AFTER UPDATE OF status, sent_at, delivered_at, bounced_at, complained_at ON `deliveries`
WHEN old.campaign_id IS new.campaign_id AND (old.status IS NOT new.status OR (old.sent_at IS NULL) <> (new.sent_at IS NULL) OR (old.delivered_at IS NULL) <> (new.delivered_at IS NULL) OR (old.bounced_at IS NULL) <> (new.bounced_at IS NULL) OR (old.complained_at IS NULL) <> (new.complained_at IS NULL))
BEGIN
  INSERT INTO campaign_counts (campaign_id, sent, delivered, bounced, complained, status_sent, status_failed, status_skipped)
  VALUES (new.campaign_id,
    (new.sent_at IS NOT NULL) - (old.sent_at IS NOT NULL), (new.delivered_at IS NOT NULL) - (old.delivered_at IS NOT NULL),
    (new.bounced_at IS NOT NULL) - (old.bounced_at IS NOT NULL), (new.complained_at IS NOT NULL) - (old.complained_at IS NOT NULL),
    (new.status = 'sent') - (old.status = 'sent'), (new.status = 'failed') - (old.status = 'failed'), (new.status = 'skipped') - (old.status = 'skipped'))
  ON CONFLICT (campaign_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, bounced = bounced + excluded.bounced, complained = complained + excluded.complained, status_sent = status_sent + excluded.status_sent, status_failed = status_failed + excluded.status_failed, status_skipped = status_skipped + excluded.status_skipped;
END;
--> statement-breakpoint
CREATE TRIGGER `deliveries_counts_move` AFTER UPDATE OF campaign_id ON `deliveries`
WHEN old.campaign_id IS NOT new.campaign_id
BEGIN
  UPDATE campaign_counts SET sent = sent - (old.sent_at IS NOT NULL), delivered = delivered - (old.delivered_at IS NOT NULL), bounced = bounced - (old.bounced_at IS NOT NULL), complained = complained - (old.complained_at IS NOT NULL), status_sent = status_sent - (old.status = 'sent'), status_failed = status_failed - (old.status = 'failed'), status_skipped = status_skipped - (old.status = 'skipped')
  WHERE campaign_id = old.campaign_id;
  INSERT INTO campaign_counts (campaign_id, sent, delivered, bounced, complained, status_sent, status_failed, status_skipped)
  VALUES (new.campaign_id, (new.sent_at IS NOT NULL), (new.delivered_at IS NOT NULL), (new.bounced_at IS NOT NULL), (new.complained_at IS NOT NULL), (new.status = 'sent'), (new.status = 'failed'), (new.status = 'skipped'))
  ON CONFLICT (campaign_id) DO UPDATE SET sent = sent + excluded.sent, delivered = delivered + excluded.delivered, bounced = bounced + excluded.bounced, complained = complained + excluded.complained, status_sent = status_sent + excluded.status_sent, status_failed = status_failed + excluded.status_failed, status_skipped = status_skipped + excluded.status_skipped;
END;
