import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { campaigns } from './campaigns';
import { campaignLinks } from './tracking';

/**
 * Running totals the desk shows on every page load, kept by SQLite triggers (written by hand in
 * the migration drizzle/*_issue12_count_triggers.sql, since drizzle-kit has no triggers). Counting
 * them afresh means reading an index entry per reader: about 60 ms for one count at 1,000,000
 * readers, where these rows answer in microseconds. Triggers rather than application code, so
 * that every path that writes a reader or a ledger row (the send loop, webhooks, imports,
 * erasure, a test's raw SQL) keeps them right.
 */

/**
 * A campaign's ledger totals: rows of `deliveries` with sent_at, delivered_at, … set, and rows
 * by status past queued (queued ones are the campaign's audience_count less these, so the
 * million rows a send starts with need no trigger work).
 */
export const campaignCounts = sqliteTable('campaign_counts', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  sent: integer('sent').notNull().default(0),
  delivered: integer('delivered').notNull().default(0),
  bounced: integer('bounced').notNull().default(0),
  complained: integer('complained').notNull().default(0),
  statusSent: integer('status_sent').notNull().default(0),
  statusFailed: integer('status_failed').notNull().default(0),
  statusSkipped: integer('status_skipped').notNull().default(0),
  /** Readers with at least one row in link_clicks for this campaign (erased readers not). */
  clickers: integer('clickers').notNull().default(0),
  /**
   * Readers in the campaign's ledger with an `unsubscribed` event carrying the campaign (its
   * link, one-click or preferences page reached from its email), as src/stats/campaign-stats.ts
   * counts them. Kept by triggers on subscriber_events and on deliveries' reader
   * (drizzle/*_issue14_unsubscribe_counts.sql). Not on a ledger row's insert: an event carries a
   * campaign only from a link in an email its ledger sent, so the row is always there first, and a
   * check per inserted row would slow a 1,000,000-row ledger by about 1.5 s.
   */
  unsubscribes: integer('unsubscribes').notNull().default(0),
});

/** Per link: readers who clicked it (rows of link_clicks with a reader) and their clicks. */
export const linkCounts = sqliteTable('link_counts', {
  linkId: integer('link_id')
    .primaryKey()
    .references(() => campaignLinks.id, { onDelete: 'cascade' }),
  readers: integer('readers').notNull().default(0),
  clicks: integer('clicks').notNull().default(0),
});

/** Readers whose consent falls on a UTC day (day = floor(consent_at / 86,400,000)): the sign-ups chart. */
export const signupDays = sqliteTable('signup_days', {
  day: integer('day').primaryKey(),
  n: integer('n').notNull().default(0),
});

/**
 * Readers by UTC day of consent and source as written (consent_source: the article URL with its
 * tracking noise), with how many of them are confirmed and how many active now: the desk's
 * sign-ups per source article sums a period's days here (about 80 rows a day) instead of grouping
 * every reader who signed up in it (155 ms for 30 days at 1,000,000 readers). A reader without a
 * source is in the row with no_source = 1 and source '' (a null in the key would never conflict,
 * and the triggers' single upsert per reader is half the cost of a look-up, insert and update).
 */
export const signupSources = sqliteTable(
  'signup_sources',
  {
    day: integer('day').notNull(),
    noSource: integer('no_source', { mode: 'boolean' }).notNull(),
    source: text('source').notNull(),
    signups: integer('signups').notNull().default(0),
    confirmed: integer('confirmed').notNull().default(0),
    active: integer('active').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.noSource, t.source] })],
);

/** Readers per status: rows of `subscribers` with that status. */
export const subscriberCounts = sqliteTable('subscriber_counts', {
  status: text('status').primaryKey(),
  n: integer('n').notNull().default(0),
});
