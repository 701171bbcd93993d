import type { AppealCopy } from '../../../emails/_components/types';
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nowMs } from './now';

export const campaignKinds = ['digest', 'appeal', 'custom'] as const;
export type CampaignKind = (typeof campaignKinds)[number];

export const campaignStatuses = ['draft', 'scheduled', 'sending', 'sent', 'paused', 'cancelled', 'failed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export interface DigestContent {
  kind: 'digest';
  /** The editor's note at the top, Markdown. */
  intro: string;
  /** The articles in the order they appear (the featured one included or not). */
  articleIds: number[];
  featuredId: number | null;
  /** The digest's appeal block (drawn by emails/_components/appeal-block.tsx), if any. */
  appealBlock: AppealCopy | null;
  /** Articles taken out because the site withdrew them, so the editor sees what went and why. */
  withdrawn?: WithdrawnArticle[];
}
export interface WithdrawnArticle {
  articleId: number;
  title: string;
  url: string;
  reason: string;
  /** ISO 8601. */
  at: string;
}
/** An appeal campaign: the appeal's words and link (the same as a digest's block), and a progress line. */
export interface AppealContent extends AppealCopy {
  kind: 'appeal';
  /** "1,240 readers have given …", with an optional bar (0 to 1). */
  progress: { label: string; fraction?: number } | null;
}
export interface CustomContent {
  kind: 'custom';
  mjml: string;
}
export type CampaignContent = DigestContent | AppealContent | CustomContent;

/** What a campaign's messages are sent with, fixed when its send starts (campaigns.send_settings). */
export interface SendSettings {
  from: string;
  replyTo: string | null;
  publicUrl: string;
  unsubscribeMailto: string | null;
  /**
   * The send signs each email's unsubscribe token and tracking reader token with one MAC (src/
   * tokens.ts `readerPair`), issued at the send's start. Absent for sends started before pairing,
   * whose tokens (already in inboxes) keep their own two MACs; a retry then builds the same bytes.
   */
  pairedLinks?: true;
}

/** A digest, appeal or custom email, from draft to sent. */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: campaignKinds }).notNull(),
    status: text('status', { enum: campaignStatuses }).notNull().default('draft'),
    subject: text('subject').notNull(),
    preheader: text('preheader'),
    /** Which readers it goes to: those who want this topic. */
    topic: text('topic', { enum: ['digest', 'appeals'] }).notNull(),
    content: text('content', { mode: 'json' }).$type<CampaignContent>().notNull(),
    /** Appeals only: also leave out readers tagged "donor". */
    excludeDonors: integer('exclude_donors', { mode: 'boolean' }).notNull().default(false),
    /** Weekly digests: the ISO week they cover, e.g. "2026-W48". Unique: one digest per week. */
    isoWeek: text('iso_week'),
    /** Weekly digests: the articles window [periodStart, periodEnd). */
    periodStart: integer('period_start'),
    periodEnd: integer('period_end'),
    scheduledAt: integer('scheduled_at'),
    startedAt: integer('started_at'),
    finishedAt: integer('finished_at'),
    /** Why a campaign is paused or failed, in words an editor can act on. */
    statusReason: text('status_reason'),
    /**
     * The campaign rendered once, with placeholders, when the send starts. Every chunk (and every
     * retry of a chunk) personalises this same snapshot, so a retried batch is byte-identical and
     * Resend's idempotency key recognises it.
     */
    renderedSubject: text('rendered_subject'),
    renderedHtml: text('rendered_html'),
    renderedText: text('rendered_text'),
    /** The placeholder nonce of that render (see src/emails/placeholders.ts). */
    placeholderNonce: text('placeholder_nonce'),
    /**
     * Sender, reply-to, public URL and List-Unsubscribe mailto as they were when the send started.
     * Retries build their batch from these, not from configuration, so a change of MAIL_FROM or
     * PUBLIC_URL between two tries cannot alter a chunk's payload (Resend would refuse the
     * changed payload under the same idempotency key with a 409). Null for campaigns not started.
     */
    sendSettings: text('send_settings', { mode: 'json' }).$type<SendSettings>(),
    audienceCount: integer('audience_count'),
    createdAt: integer('created_at').notNull().default(nowMs),
    updatedAt: integer('updated_at').notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('campaigns_iso_week_unique').on(t.isoWeek),
    index('campaigns_status_idx').on(t.status),
  ],
);

export const deliveryStatuses = ['queued', 'sent', 'skipped', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * The send ledger: one row per (campaign, reader), written when the send starts. It is the truth
 * about who gets the campaign; chunks of it are sent, each exactly once.
 */
export const deliveries = sqliteTable(
  'deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** Null once the reader is erased; the row stays so the campaign's numbers stay right. */
    subscriberId: integer('subscriber_id'),
    /** Which chunk of at most 100 this delivery is sent in. */
    chunk: integer('chunk').notNull(),
    status: text('status', { enum: deliveryStatuses }).notNull().default('queued'),
    /**
     * Address and name as they were when the chunk was first tried; retries build the same
     * payload from these, whatever happens to the reader's row in between.
     */
    email: text('email'),
    name: text('name'),
    providerId: text('provider_id'),
    /**
     * Set when the chunk is fixed (freezeChunk): the email carries this delivery's id as a Resend
     * tag, so webhooks find the delivery by that id. Null for emails fixed before tags were added
     * (drizzle 0017): only those are found by the message id, and only they are in its index.
     */
    tagged: integer('tagged', { mode: 'boolean' }),
    error: text('error'),
    sentAt: integer('sent_at'),
    deliveredAt: integer('delivered_at'),
    bouncedAt: integer('bounced_at'),
    complainedAt: integer('complained_at'),
    openedAt: integer('opened_at'),
    clickedAt: integer('clicked_at'),
    /** The provider's last word on this message (email.delivered, email.delivery_delayed…). */
    lastEvent: text('last_event'),
  },
  (t) => [
    // One delivery per reader per campaign: the ledger cannot hold a reader twice.
    uniqueIndex('deliveries_campaign_subscriber_unique').on(t.campaignId, t.subscriberId),
    // Sending reads one chunk at a time.
    index('deliveries_campaign_chunk_idx').on(t.campaignId, t.chunk),
    // Webhooks find an email sent without its delivery's tag by the provider's message id. Only
    // those are indexed: a random id written into a large index touched a page per email,
    // 1.4–1.6 ms of the 4 ms that marking a 100-email chunk sent cost (BENCHMARKS.md, issue 14).
    index('deliveries_provider_idx').on(t.providerId).where(sql`provider_id is not null and tagged is null`),
    // "Had an appeal within N days" looks up a reader's recent deliveries.
    index('deliveries_subscriber_idx').on(t.subscriberId, t.sentAt),
    // The desk counts a campaign's sent, delivered, bounced and complained emails on every
    // dashboard and results page: partial indexes make each a count over an index of just
    // those rows (100,000-reader campaigns in milliseconds) instead of reading every ledger row.
    index('deliveries_sent_idx').on(t.campaignId).where(sql`sent_at is not null`),
    index('deliveries_delivered_idx').on(t.campaignId).where(sql`delivered_at is not null`),
    index('deliveries_bounced_idx').on(t.campaignId).where(sql`bounced_at is not null`),
    index('deliveries_complained_idx').on(t.campaignId).where(sql`complained_at is not null`),
  ],
);

export const chunkStatuses = ['pending', 'leased', 'sent', 'failed'] as const;
export type ChunkStatus = (typeof chunkStatuses)[number];

/**
 * One row per chunk of a campaign's ledger. A sender claims a chunk with a lease; if it dies, the
 * lease runs out and another sender retries the chunk with the same idempotency key.
 */
export const sendChunks = sqliteTable(
  'send_chunks',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    chunk: integer('chunk').notNull(),
    status: text('status', { enum: chunkStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: integer('lease_until'),
    /** Backoff: not to be tried before this time. */
    notBefore: integer('not_before'),
    /** Set on the first try; from then on the chunk's members and payload are fixed. */
    firstTriedAt: integer('first_tried_at'),
    lastError: text('last_error'),
    /**
     * Set when a try ended without knowing whether Resend accepted the batch (the answer was
     * lost, a 5xx, or the sender died holding the lease): the start of that try. Resend keeps an
     * idempotency key for 24 hours, so after that a retry could send the batch twice; see
     * docs/sending.md for what happens then.
     */
    inDoubtSince: integer('in_doubt_since'),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('send_chunks_pk').on(t.campaignId, t.chunk),
    index('send_chunks_status_idx').on(t.status, t.notBefore),
    // The chunks still to send, in sending order: a claim reads the first due one, and "is this
    // campaign done?" looks for any, without walking the chunks already sent (10,000 of them at
    // the end of a million-reader send, for every chunk).
    index('send_chunks_unsent_idx').on(t.campaignId, t.chunk).where(sql`status in ('pending', 'leased')`),
  ],
);

export type Campaign = typeof campaigns.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
export type SendChunk = typeof sendChunks.$inferSelect;

