import { and, count, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import {
  subscriberEvents,
  subscribers,
  type SubscriberEventType,
  type SubscriberStatus,
} from '../db/schema';

export type Subscriber = typeof subscribers.$inferSelect;
export type NewSubscriber = typeof subscribers.$inferInsert;
export type SubscriberEvent = typeof subscriberEvents.$inferSelect;

export interface EventInput {
  subscriberId: number;
  type: SubscriberEventType;
  detail?: Record<string, unknown>;
  ip?: string | null;
  at: number;
}

export const findSubscriberByEmail = (db: Database, email: string) =>
  db.select().from(subscribers).where(eq(subscribers.email, email)).get();

export const getSubscriber = (db: Database, id: number) =>
  db.select().from(subscribers).where(eq(subscribers.id, id)).get();

export const eventInsert = (db: Database, e: EventInput) =>
  db.insert(subscriberEvents).values({
    subscriberId: e.subscriberId,
    type: e.type,
    detail: e.detail ?? null,
    ip: e.ip ?? null,
    createdAt: e.at,
  });

export const recordEvent = async (db: Database, e: EventInput) => {
  await eventInsert(db, e);
};

/**
 * Inserts a reader, then their first event: two statements, not one batch, because the event
 * needs the id the insert returns and must not be written when the address already existed. A
 * crash between the two leaves a whole reader row whose history starts at their next change.
 * Returns null when the address already exists (the unique index decides, so two simultaneous
 * sign-ups make one row).
 */
export async function insertSubscriber(
  db: Database,
  values: NewSubscriber,
  event: Omit<EventInput, 'subscriberId'>,
): Promise<Subscriber | null> {
  const [row] = await db.insert(subscribers).values(values).onConflictDoNothing().returning();
  if (!row) return null;
  await recordEvent(db, { ...event, subscriberId: row.id });
  return row;
}

/**
 * Updates a reader and writes the event in one batch, so the history never misses a change.
 * `expectStatus` guards against a race: the update applies only if the status is still that.
 * Returns the updated row, or null when the guard did not match.
 */
export async function updateSubscriber(
  db: Database,
  id: number,
  values: Partial<NewSubscriber>,
  event: Omit<EventInput, 'subscriberId'>,
  expectStatus?: SubscriberStatus[],
): Promise<Subscriber | null> {
  const where = expectStatus?.length
    ? and(eq(subscribers.id, id), or(...expectStatus.map((s) => eq(subscribers.status, s))))
    : eq(subscribers.id, id);
  // One batch (a transaction on both libSQL and D1): the event is inserted from a SELECT with the
  // same guard as the update, so it is written exactly when the update applies.
  const [, [row]] = (await db.batch([
    db.insert(subscriberEvents).select(
      db
        .select({
          id: sql`null`.as('id'),
          subscriberId: subscribers.id,
          type: sql`${event.type}`.as('type'),
          detail: sql`${event.detail ? JSON.stringify(event.detail) : null}`.as('detail'),
          ip: sql`${event.ip ?? null}`.as('ip'),
          createdAt: sql`${event.at}`.as('created_at'),
        })
        .from(subscribers)
        .where(where),
    ),
    db.update(subscribers).set({ ...values, updatedAt: event.at }).where(where).returning(),
  ])) as [unknown, Subscriber[]];
  return row ?? null;
}

export interface SearchArgs {
  q?: string;
  status?: SubscriberStatus;
  limit: number;
  offset: number;
}

export async function searchSubscribers(db: Database, args: SearchArgs) {
  const conditions: SQL[] = [];
  if (args.q) {
    // LIKE with escaped wildcards: a search for "a_b" means the characters, not a pattern.
    const pattern = `%${args.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        sql`lower(${subscribers.email}) like ${pattern} escape '\\'`,
        sql`lower(coalesce(${subscribers.name}, '')) like ${pattern} escape '\\'`,
      )!,
    );
  }
  if (args.status) conditions.push(eq(subscribers.status, args.status));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(subscribers).where(where).orderBy(desc(subscribers.id)).limit(args.limit).offset(args.offset),
    db.select({ n: count() }).from(subscribers).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export const listEvents = (db: Database, subscriberId: number, limit = 100) =>
  db
    .select()
    .from(subscriberEvents)
    .where(eq(subscriberEvents.subscriberId, subscriberId))
    .orderBy(desc(subscriberEvents.createdAt), desc(subscriberEvents.id))
    .limit(limit);

/**
 * Erases a reader: the row, their history (by cascade), and the address and name copied onto
 * their deliveries. The delivery rows stay, anonymous, so campaign numbers stay right. One
 * exception: a delivery still queued in a chunk that was already tried keeps its copy until the
 * chunk is sent, because a retry must send byte-identical data (see freezeChunk); the freeze of
 * a chunk not yet tried skips an erased reader.
 */
export async function deleteSubscriber(db: Database, id: number): Promise<boolean> {
  const [, rows] = (await db.batch([
    db.run(sql`update deliveries set email = null, name = null, subscriber_id = null
               where subscriber_id = ${id} and status <> 'queued'`),
    db.delete(subscribers).where(eq(subscribers.id, id)).returning({ id: subscribers.id }),
  ])) as [unknown, { id: number }[]];
  return rows.length > 0;
}
