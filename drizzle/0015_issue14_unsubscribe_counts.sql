-- Written by hand (drizzle-kit has no triggers): campaign_counts.unsubscribes (src/db/schema/
-- counts.ts), readers in a campaign's ledger with an `unsubscribed` event carrying the campaign,
-- filled from what is there, then kept by triggers on the events (inserted or deleted: they are
-- never updated) and on a ledger row losing or changing its reader (erasure cuts it before it
-- deletes the events, so the reader stops counting once, there) or going. A campaign id that is not a number in
-- the JSON is not counted, as the desk's fresh count (json_extract(...) = id) does not match it.
-- subscriber_events_unsubscribed_campaign_idx answers every event lookup, the ledger's unique
-- (campaign_id, subscriber_id) index every ledger lookup.
INSERT INTO `campaign_counts` (`campaign_id`, `unsubscribes`)
SELECT d.`campaign_id`, count(DISTINCT d.`subscriber_id`)
FROM `subscriber_events` e JOIN `deliveries` d ON d.`campaign_id` = json_extract(e.`detail`, '$.campaignId') AND d.`subscriber_id` = e.`subscriber_id`
WHERE e.`type` = 'unsubscribed' AND json_type(e.`detail`, '$.campaignId') IN ('integer', 'real')
GROUP BY d.`campaign_id`
ON CONFLICT (`campaign_id`) DO UPDATE SET `unsubscribes` = excluded.`unsubscribes`;
--> statement-breakpoint
CREATE TRIGGER `subscriber_events_unsubscribes_insert` AFTER INSERT ON `subscriber_events`
WHEN new.type = 'unsubscribed' AND json_type(new.detail, '$.campaignId') IN ('integer', 'real')
BEGIN
  INSERT INTO campaign_counts (campaign_id, unsubscribes)
  SELECT d.campaign_id, 1 FROM deliveries d
  WHERE d.campaign_id = json_extract(new.detail, '$.campaignId') AND d.subscriber_id = new.subscriber_id
    AND NOT EXISTS (SELECT 1 FROM subscriber_events e WHERE e.type = 'unsubscribed' AND json_extract(e.detail, '$.campaignId') = json_extract(new.detail, '$.campaignId') AND e.subscriber_id = new.subscriber_id AND e.id <> new.id)
  ON CONFLICT (campaign_id) DO UPDATE SET unsubscribes = unsubscribes + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `subscriber_events_unsubscribes_delete` AFTER DELETE ON `subscriber_events`
WHEN old.type = 'unsubscribed' AND json_type(old.detail, '$.campaignId') IN ('integer', 'real')
BEGIN
  UPDATE campaign_counts SET unsubscribes = unsubscribes - 1
  WHERE campaign_id = (SELECT d.campaign_id FROM deliveries d WHERE d.campaign_id = json_extract(old.detail, '$.campaignId') AND d.subscriber_id = old.subscriber_id)
    AND NOT EXISTS (SELECT 1 FROM subscriber_events e WHERE e.type = 'unsubscribed' AND json_extract(e.detail, '$.campaignId') = json_extract(old.detail, '$.campaignId') AND e.subscriber_id = old.subscriber_id);
END;
--> statement-breakpoint
CREATE TRIGGER `deliveries_unsubscribes_update` AFTER UPDATE OF campaign_id, subscriber_id ON `deliveries`
WHEN old.campaign_id IS NOT new.campaign_id OR old.subscriber_id IS NOT new.subscriber_id
BEGIN
  UPDATE campaign_counts SET unsubscribes = unsubscribes - 1
  WHERE campaign_id = old.campaign_id AND old.subscriber_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM subscriber_events e WHERE e.type = 'unsubscribed' AND json_extract(e.detail, '$.campaignId') = old.campaign_id AND e.subscriber_id = old.subscriber_id);
  INSERT INTO campaign_counts (campaign_id, unsubscribes)
  SELECT new.campaign_id, 1
  WHERE new.subscriber_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM subscriber_events e WHERE e.type = 'unsubscribed' AND json_extract(e.detail, '$.campaignId') = new.campaign_id AND e.subscriber_id = new.subscriber_id)
  ON CONFLICT (campaign_id) DO UPDATE SET unsubscribes = unsubscribes + 1;
END;
--> statement-breakpoint
-- An UPDATE, never an insert: when a campaign is deleted its counts row goes with it.
CREATE TRIGGER `deliveries_unsubscribes_delete` AFTER DELETE ON `deliveries`
WHEN old.subscriber_id IS NOT NULL
  AND EXISTS (SELECT 1 FROM subscriber_events e WHERE e.type = 'unsubscribed' AND json_extract(e.detail, '$.campaignId') = old.campaign_id AND e.subscriber_id = old.subscriber_id)
BEGIN
  UPDATE campaign_counts SET unsubscribes = unsubscribes - 1 WHERE campaign_id = old.campaign_id;
END;
