import type { Topic as EmailTopic } from '../../../emails/_components/types';
import { sql } from 'drizzle-orm';
import { nowMs } from './now';
import type { Topic } from './topics';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Readers and what belongs to them. Times are integer milliseconds since the epoch (UTC).
 */

export const subscriberStatuses = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];

export { topics, type Topic } from './topics';
// The templates' own Topic (emails/ imports nothing from src/) must be this one.
type Expect<T extends true> = T;
export type TopicIsTheEmails = Expect<[Topic, EmailTopic] extends [EmailTopic, Topic] ? true : false>;


export const subscribers = sqliteTable(
  'subscribers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Normalised: trimmed, domain lower-cased. Unique, so one reader is one row. */
    email: text('email').notNull(),
    /**
     * The mailbox the address reaches (src/subscribers/mailbox.ts: local part's ASCII case and
     * +tag folded, Gmail's dots too). Unique, so `Victim@x` and `victim+news@x` are one reader;
     * null only for rows from before this column that duplicated an earlier reader's mailbox.
     */
    mailbox: text('mailbox'),
    name: text('name'),
    status: text('status', { enum: subscriberStatuses }).notNull().default('pending'),
    // Topics are columns rather than a list so that an audience is one indexed WHERE clause.
    wantsDigest: integer('wants_digest', { mode: 'boolean' }).notNull().default(true),
    wantsAppeals: integer('wants_appeals', { mode: 'boolean' }).notNull().default(true),
    /** JSON array of lower-case tags, e.g. ["donor"]. */
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    // The consent record: what the reader agreed to, when, from where.
    consentAt: integer('consent_at'),
    consentIp: text('consent_ip'),
    consentUserAgent: text('consent_user_agent'),
    consentSource: text('consent_source'),
    /** Version of the form's consent sentence, or "editor" when an editor added the reader. */
    consentWording: text('consent_wording'),
    confirmedAt: integer('confirmed_at'),
    confirmIp: text('confirm_ip'),
    unsubscribedAt: integer('unsubscribed_at'),
    createdAt: integer('created_at').notNull().default(nowMs),
    updatedAt: integer('updated_at').notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('subscribers_email_unique').on(t.email),
    uniqueIndex('subscribers_mailbox_unique').on(t.mailbox),
    // Audiences: "active readers with topic X" scan only this index.
    index('subscribers_status_idx').on(t.status),
    // Sign-ups per source article groups a period's readers by source: with these columns in the
    // index it never reads the table (3x faster at 100,000 readers). It is also the index of any
    // range of consent times (an index on consent_at alone, its first column, was dropped in
    // drizzle/*_issue13_drop_consent_index.sql: the sign-ups per week read signup_days instead,
    // and every reader written paid for it).
    index('subscribers_consent_source_idx').on(t.consentAt, t.consentSource, t.confirmedAt, t.status),
    // The readers list and export filtered by source article find those readers, not scan them all.
    index('subscribers_source_idx').on(t.consentSource),
    // The mailboxes and tags of readers with any tag: a search with a tag reads its mailbox range
    // here and tests the tag without the row (src/subscribers/reader-filter.ts, searchBranches):
    // "reader-1" among 1,000,000 readers, 1% tagged, is 1,333 entries instead of 111,112, and a
    // dense search's jump to its next match 0.3 ms instead of 12-17. Partial, so a reader without
    // tags (most, and most imports) costs nothing.
    index('subscribers_tagged_mailbox_idx').on(t.mailbox, t.tags).where(sql`${t.tags} <> '[]'`),
    // Also, written by hand in drizzle/*_issue14_reader_search.sql (drizzle-kit cannot express
    // them): the search's expression indexes on the address's domain, the name (NOCASE) and the
    // name's later words, and partial indexes of active readers without the digest or appeals.
  ],
);

/**
 * Each reader's tags, one row per tag, so that a filter by tag is a range of an index (ids in
 * order) rather than a test of every reader's JSON. subscribers.tags stays the record; this is an
 * index of it kept by triggers (drizzle/*_issue14_reader_tag_index.sql) on every write of a
 * reader, and never written by the application. WITHOUT ROWID (in the migration): the primary
 * key is the whole row, stored once.
 */
export const subscriberTags = sqliteTable(
  'subscriber_tags',
  {
    tag: text('tag').notNull(),
    subscriberId: integer('subscriber_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tag, t.subscriberId] })],
);

export const subscriberEventTypes = [
  'subscribe_requested',
  'confirmation_sent',
  'confirmation_suppressed',
  'confirmed',
  'welcome_sent',
  'already_subscribed_sent',
  'unsubscribed',
  'resubscribe_requested',
  'preferences_changed',
  'added_by_editor',
  'updated_by_editor',
  'bounced',
  'complained',
  'mail_failed',
  'imported',
  'tags_changed',
] as const;
export type SubscriberEventType = (typeof subscriberEventTypes)[number];

/** Every change to a reader, in order: the history an editor or a reader's data request sees. */
export const subscriberEvents = sqliteTable(
  'subscriber_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    type: text('type', { enum: subscriberEventTypes }).notNull(),
    /** Free-form JSON with what changed (topics before/after, source, campaign id…). */
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text('ip'),
    createdAt: integer('created_at').notNull().default(nowMs),
  },
  (t) => [
    index('subscriber_events_subscriber_idx').on(t.subscriberId, t.createdAt),
    // Also subscriber_events_unsubscribed_campaign_idx on (json_extract(detail, '$.campaignId'),
    // subscriber_id) where type = 'unsubscribed', for a campaign's unsubscribes: written by hand in
    // drizzle/*_issue12_count_triggers.sql, as drizzle-kit mangles an expression index's SQL.
  ],
);

