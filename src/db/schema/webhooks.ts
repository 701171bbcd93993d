import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Svix message ids of the Resend webhooks already applied. Svix retries a delivery with the same
 * `svix-id` (and a fresh timestamp and signature) until it gets a 2xx, for about a day; a second
 * copy of an event must change nothing. The primary key is the guard: whoever inserts the id
 * first applies the event. Rows older than a week are pruned.
 */
export const webhookReceipts = sqliteTable(
  'webhook_receipts',
  {
    svixId: text('svix_id').primaryKey(),
    type: text('type').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('webhook_receipts_received_idx').on(t.receivedAt)],
);

/**
 * Events about a campaign email whose provider message id is not in the ledger yet: Resend can
 * report `email.sent` (or even `email.delivered`) before the send loop has stored the ids of the
 * batch it just sent. They wait here and are applied to the delivery once its id appears.
 */
export const webhookPending = sqliteTable(
  'webhook_pending',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    providerId: text('provider_id').notNull(),
    /** The delivery the email's tag names (emails fixed since drizzle 0017); null without one. */
    deliveryId: integer('delivery_id'),
    campaignId: integer('campaign_id'),
    type: text('type').notNull(),
    /** The validated event, as received. */
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [
    // The sweep joins waiting events to deliveries by message id.
    index('webhook_pending_provider_idx').on(t.providerId),
    // Events that never find their delivery are dropped after a while.
    index('webhook_pending_received_idx').on(t.receivedAt),
  ],
);

export type WebhookPending = typeof webhookPending.$inferSelect;
