import { and, count, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { batchItemOf, preparedPerDatabase } from '../db/prepared';
import { readerWhere, type ReaderFilter } from './reader-filter';
import {
  subscriberEvents,
  subscribers,
  type SubscriberEventType,
  type SubscriberStatus,
  type TransactionalKind,
} from '../db/schema';
import { queueClaimedMailStatement, queueMailStatement, type QueuedMail } from '../transactional/queries';
import { mailboxKey } from './mailbox';
import { withinRateLimit, type rateLimitInBatch } from '../rate-limit';

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

/**
 * The reader an address reaches: by mailbox (so `Victim@x` finds the reader who typed
 * `victim@x`), or by the exact address for the few rows older than the mailbox column that
 * duplicated an earlier reader's mailbox (their mailbox is null). An exact match wins.
 * Built once per database: every sign-up runs it (src/db/prepared.ts).
 */
const byEmailQuery = (db: Database) =>
  db
    .select()
    .from(subscribers)
    .where(or(eq(subscribers.mailbox, sql.placeholder('mailbox')), eq(subscribers.email, sql.placeholder('email'))))
    .orderBy(sql`${subscribers.email} <> ${sql.placeholder('email')}`, subscribers.id);
const byEmail = preparedPerDatabase((db) => byEmailQuery(db).prepare());
const byEmailInBatch = preparedPerDatabase((db) => batchItemOf(byEmailQuery(db)));

export const findSubscriberByEmail = (db: Database, email: string): Promise<Subscriber | undefined> =>
  byEmail(db).get({ mailbox: mailboxKey(email), email });

/**
 * findSubscriberByEmail as an item of a caller's db.batch (the sign-up's, with its per-IP count:
 * one round trip on D1); the batch answers the readers found, the one the address reaches first.
 */
export const findSubscriberByEmailInBatch = (db: Database, email: string) => byEmailInBatch(db)({ mailbox: mailboxKey(email), email });

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

/** A transactional email to queue in the same batch as a reader change (src/transactional/). */
export interface QueueWith {
  kind: TransactionalKind;
  issuedAt: number;
  /** Write it claimed by the caller for this long and return it (queueClaimedMailStatement). */
  claimMs?: number;
  /** Queue it only within this limit, counted in the same batch (src/rate-limit.ts). */
  limit?: ReturnType<typeof rateLimitInBatch>;
}

/** An event's values as SQL parameters: as they are, or placeholders of a statement built once. */
interface EventValues {
  type: unknown;
  detail: unknown;
  ip: unknown;
  at: unknown;
}

const eventValues = (event: Omit<EventInput, 'subscriberId'>): EventValues => ({
  type: event.type,
  detail: event.detail ? JSON.stringify(event.detail) : null,
  ip: event.ip ?? null,
  at: event.at,
});

/** The event for the reader(s) matching `where`, as an INSERT … SELECT for a batch. */
const eventFor = (db: Database, event: EventValues, where: SQL) =>
  db.insert(subscriberEvents).select(
    db
      .select({
        id: sql`null`.as('id'),
        subscriberId: subscribers.id,
        type: sql`${event.type}`.as('type'),
        detail: sql`${event.detail}`.as('detail'),
        ip: sql`${event.ip}`.as('ip'),
        createdAt: sql`${event.at}`.as('created_at'),
      })
      .from(subscribers)
      .where(where),
  );

const p = sql.placeholder;

/**
 * insertSubscriber's batch for one shape of call (the columns given, with or without a limit,
 * which email), built once with placeholders (src/db/prepared.ts): every sign-up runs it, and
 * building its four statements cost about as much as running them. The row's columns are
 * placeholders under their own names; the event, email and limit have their own. The limit's
 * hit, which comes first, is the caller's (rateLimitInBatch builds it once too).
 */
function insertBatch(db: Database, columns: string[], limit: QueueWith['limit'], mail: 'claimed' | 'queued' | undefined) {
  const mine = and(eq(subscribers.mailbox, p('mailbox')), eq(subscribers.createdAt, p('createdAt')))!;
  const mailWhere = limit ? and(mine, withinRateLimit)! : mine;
  const mailArgs = { kind: p('mailKind'), issuedAt: p('mailIssuedAt'), now: p('eventAt'), where: mailWhere };
  const items = [
    batchItemOf(
      db
        .insert(subscribers)
        .values(Object.fromEntries(columns.map((c) => [c, p(c)])) as unknown as NewSubscriber)
        .onConflictDoNothing()
        .returning(),
    ),
    batchItemOf(eventFor(db, { type: p('eventType'), detail: p('eventDetail'), ip: p('eventIp'), at: p('eventAt') }, mine)),
    ...(mail === 'claimed' ? [batchItemOf(queueClaimedMailStatement(db, { ...mailArgs, leaseUntil: p('mailLeaseUntil') }))] : []),
    ...(mail === 'queued' ? [batchItemOf(queueMailStatement(db, mailArgs))] : []),
  ];
  return (values: Record<string, unknown>) => items.map((item) => item(values));
}

const insertBatches = preparedPerDatabase(() => new Map<string, ReturnType<typeof insertBatch>>());

/**
 * Inserts a reader, their first event and (with `queue`) their first email in one batch, so a
 * reader is never stored without the confirmation they were promised. Returns null when the
 * mailbox already has a reader (the unique indexes decide, so two simultaneous sign-ups, or
 * `Victim@x` and `victim@x`, make one row). The event and the email are written only for the
 * row this batch inserted: they select it by its mailbox and creation time. With
 * `queue.claimMs` the email comes back as `mail`, claimed by the caller; with `queue.limit` the
 * limit's hit is the batch's first statement (counted whether or not the reader is new) and the
 * email is written only within it (`allowed` says which).
 */
export async function insertSubscriber(
  db: Database,
  values: NewSubscriber,
  event: Omit<EventInput, 'subscriberId'>,
  queue?: QueueWith,
): Promise<{ subscriber: Subscriber; mail?: QueuedMail; allowed?: boolean } | null> {
  const row: Record<string, unknown> = { ...values, mailbox: mailboxKey(values.email), createdAt: values.createdAt ?? event.at };
  // A column left undefined takes its default, so it is not part of the statement.
  const columns = Object.keys(row).filter((c) => row[c] !== undefined).sort();
  const limit = queue?.limit;
  const mail = queue && (queue.claimMs ? 'claimed' : 'queued');
  const shape = `${columns.join()}|${limit ? 'limit' : ''}|${mail ?? ''}`;
  const batches = insertBatches(db);
  let batch = batches.get(shape);
  if (!batch) batches.set(shape, (batch = insertBatch(db, columns, limit, mail)));
  const { type: eventType, detail: eventDetail, ip: eventIp, at: eventAt } = eventValues(event);
  const results = (await db.batch([
    ...(limit ? [limit.hit] : []),
    ...batch({
      ...row,
      eventType,
      eventDetail,
      eventIp,
      eventAt,
      ...(queue && { mailKind: queue.kind, mailIssuedAt: queue.issuedAt, mailLeaseUntil: event.at + (queue.claimMs ?? 0) }),
      ...limit?.values,
    }),
  ])) as unknown[];
  const [hit, [inserted], , queued] = (limit ? results : [undefined, ...results]) as [{ count: number }[] | undefined, Subscriber[], unknown, QueuedMail | undefined];
  if (!inserted) return null;
  return {
    subscriber: inserted,
    ...(queue?.claimMs && queued ? { mail: queued } : {}),
    ...(limit && hit ? { allowed: limit.allowed(hit) } : {}),
  };
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
  queue?: QueueWith,
): Promise<Subscriber | null> {
  const where = expectStatus?.length
    ? and(eq(subscribers.id, id), or(...expectStatus.map((s) => eq(subscribers.status, s))))!
    : eq(subscribers.id, id);
  // One batch (a transaction on both libSQL and D1): the event is inserted from a SELECT with the
  // same guard as the update, so it is written exactly when the update applies; the email (if
  // any) after it, from a SELECT of the row as this update left it.
  const [, [row]] = (await db.batch([
    eventFor(db, eventValues(event), where),
    db.update(subscribers).set({ ...values, updatedAt: event.at }).where(where).returning(),
    ...(queue
      ? [
          queueMailStatement(db, {
            ...queue,
            now: event.at,
            where: and(eq(subscribers.id, id), eq(subscribers.updatedAt, event.at), ...(values.status ? [eq(subscribers.status, values.status)] : []))!,
          }),
        ]
      : []),
  ])) as [unknown, Subscriber[]];
  return row ?? null;
}

export interface SearchArgs extends ReaderFilter {
  limit: number;
  offset: number;
}

export async function searchSubscribers(db: Database, args: SearchArgs) {
  const where = readerWhere(args);
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
