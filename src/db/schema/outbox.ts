import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { nowMs } from './now';

/** Messages held by the outbox mailer (no RESEND_API_KEY): nothing leaves the machine. */
export const outboxMessages = sqliteTable(
  'outbox_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    from: text('from').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    html: text('html').notNull(),
    text: text('text').notNull(),
    headers: text('headers', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    tags: text('tags', { mode: 'json' }).$type<{ name: string; value: string }[]>().notNull(),
    /** Same key twice means the same message: the outbox stores it once, as Resend would. */
    idempotencyKey: text('idempotency_key'),
    createdAt: integer('created_at').notNull().default(nowMs),
  },
  (t) => [
    index('outbox_messages_created_idx').on(t.createdAt),
    // The outbox checks a key's earlier messages before storing (idempotency).
    index('outbox_messages_idempotency_idx').on(t.idempotencyKey),
  ],
);
