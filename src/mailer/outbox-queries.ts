/**
 * Reading the outbox (GET /admin/api/outbox): the outbox mailer's messages, newest first.
 */
import { count, desc } from 'drizzle-orm';
import type { Database } from '../db/database';
import { outboxMessages } from '../db/schema';

export type OutboxMessage = typeof outboxMessages.$inferSelect;

export interface OutboxPage {
  limit: number;
  offset: number;
}

/** Newest first: by creation time, then by id, since a whole batch is stored within one millisecond. */
export function listOutbox(db: Database, { limit, offset }: OutboxPage): Promise<OutboxMessage[]> {
  return db
    .select()
    .from(outboxMessages)
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(limit)
    .offset(offset);
}

export async function countOutbox(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outboxMessages);
  return row?.n ?? 0;
}
