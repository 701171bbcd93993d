-- Written by hand (drizzle-kit has no triggers): signup_sources (src/db/schema/counts.ts) filled
-- from the readers there are, then kept by triggers on every write to subscribers, like
-- signup_days in drizzle/*_issue12_count_triggers.sql. A reader counts in the row of their
-- consent's UTC day and source (no_source = 1 and '' for none); an update that moves them
-- (consent, source, confirmation, status in or out of active) takes them out of the old row and
-- into the new one.
INSERT INTO `signup_sources` (`day`, `no_source`, `source`, `signups`, `confirmed`, `active`)
SELECT `consent_at` / 86400000, `consent_source` IS NULL, coalesce(`consent_source`, ''), count(*), count(`confirmed_at`), sum(`status` = 'active')
FROM `subscribers` WHERE `consent_at` IS NOT NULL GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_sources_insert` AFTER INSERT ON `subscribers` WHEN new.consent_at IS NOT NULL
BEGIN
  INSERT INTO signup_sources (day, no_source, source, signups, confirmed, active)
  VALUES (new.consent_at / 86400000, new.consent_source IS NULL, coalesce(new.consent_source, ''), 1, new.confirmed_at IS NOT NULL, new.status = 'active')
  ON CONFLICT (day, no_source, source) DO UPDATE SET signups = signups + 1, confirmed = confirmed + excluded.confirmed, active = active + excluded.active;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_sources_update` AFTER UPDATE OF consent_at, consent_source, confirmed_at, status ON `subscribers`
WHEN old.consent_at IS NOT new.consent_at OR old.consent_source IS NOT new.consent_source
  OR (old.confirmed_at IS NULL) <> (new.confirmed_at IS NULL) OR (old.status = 'active') <> (new.status = 'active')
BEGIN
  UPDATE signup_sources SET signups = signups - 1, confirmed = confirmed - (old.confirmed_at IS NOT NULL), active = active - (old.status = 'active')
  WHERE old.consent_at IS NOT NULL AND day = old.consent_at / 86400000 AND no_source = (old.consent_source IS NULL) AND source = coalesce(old.consent_source, '');
  INSERT INTO signup_sources (day, no_source, source, signups, confirmed, active)
  SELECT new.consent_at / 86400000, new.consent_source IS NULL, coalesce(new.consent_source, ''), 1, new.confirmed_at IS NOT NULL, new.status = 'active'
  WHERE new.consent_at IS NOT NULL
  ON CONFLICT (day, no_source, source) DO UPDATE SET signups = signups + 1, confirmed = confirmed + excluded.confirmed, active = active + excluded.active;
END;
--> statement-breakpoint
CREATE TRIGGER `subscribers_signup_sources_delete` AFTER DELETE ON `subscribers` WHEN old.consent_at IS NOT NULL
BEGIN
  UPDATE signup_sources SET signups = signups - 1, confirmed = confirmed - (old.confirmed_at IS NOT NULL), active = active - (old.status = 'active')
  WHERE day = old.consent_at / 86400000 AND no_source = (old.consent_source IS NULL) AND source = coalesce(old.consent_source, '');
END;
