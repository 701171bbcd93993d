import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nowMs } from './now';
import { subscribers } from './subscribers';

export const transactionalKinds = ['confirm', 'welcome', 'already-subscribed'] as const;
export type TransactionalKind = (typeof transactionalKinds)[number];

export const transactionalStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type TransactionalStatus = (typeof transactionalStatuses)[number];

/**
 * The durable queue of a reader's transactional emails (confirmation, welcome,
 * already-subscribed). A row is written before the sign-up is answered, in the same batch as the
 * reader change where there is one, so an accepted sign-up is never left without its email when
 * the process dies; senders (Node's loop, a Worker's deferred attempt and its minute sweep) claim
 * rows with a lease and send them with the row's Idempotency-Key, so the email goes out once.
 *
 * The row holds no address or name: the email is rendered from the reader's row when it is sent,
 * and erasing the reader deletes their rows (cascade).
 */
export const transactionalMail = sqliteTable(
  'transactional_mail',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    subscriberId: integer('subscriber_id')
      .notNull()
      .references(() => subscribers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: transactionalKinds }).notNull(),
    /** When the links in it were issued: rendering from this time makes every attempt byte-identical. */
    issuedAt: integer('issued_at').notNull(),
    /** Resend's Idempotency-Key for every attempt; unique, so one request for one email is one row. */
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: transactionalStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Not tried before this time (backoff after a provider failure). */
    notBefore: integer('not_before').notNull(),
    /** A sender holds the row until then; after it, the sender is presumed dead and another may try. */
    leaseUntil: integer('lease_until'),
    providerId: text('provider_id'),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull().default(nowMs),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('transactional_mail_key_unique').on(t.idempotencyKey),
    // The senders' one question: which pending rows are due, oldest first.
    index('transactional_mail_due_idx').on(t.status, t.notBefore),
    // Cascade deletes on erasure look rows up by reader.
    index('transactional_mail_subscriber_idx').on(t.subscriberId),
  ],
);
