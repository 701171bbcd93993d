import { and, count, desc, eq, getTableColumns, is, or, sql, SQL } from 'drizzle-orm';
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
import { hitWhere, withinLimit, withinRateLimit, type rateLimitInBatch } from '../rate-limit';

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
 * findSubscriberByEmail as an item of a db.batch: the sign-up's batch (insertBatch with `admit`)
 * starts with this same item, filled from its `mailbox` and `email` values; the batch answers
 * the readers found, the one the address reaches first.
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
 * A new reader's row as the SELECT of an INSERT … SELECT … WHERE `condition`: every column in
 * the table's order, the given ones as placeholders under their own names (through the
 * column's encoder, as `.values()` would), the others their defaults as `.values()` writes them.
 */
function rowWhere(columns: string[], condition: SQL): SQL {
  const given = new Set(columns);
  const list = Object.entries(getTableColumns(subscribers)).map(([name, column]) => {
    if (given.has(name)) return sql.param(p(name), column);
    if (column.defaultFn || column.onUpdateFn) throw new Error(`subscribers.${name}: a JS default is not written by rowWhere`);
    if (is(column.default, SQL)) return column.default;
    return column.default === undefined ? sql`null` : sql.param(column.default, column);
  });
  return sql`select ${sql.join(list, sql`, `)} where ${condition}`;
}

/** Whether a reader already has this address's mailbox or the address itself (byEmailQuery's match). */
const noReaderYet = sql`not exists (select 1 from ${subscribers} where ${subscribers.mailbox} = ${p('mailbox')} or ${subscribers.email} = ${p('email')})`;

/**
 * insertSubscriber's batch for one shape of call (the columns given, with or without a limit,
 * which email, admitted by a limit or not), built once with placeholders (src/db/prepared.ts):
 * every sign-up runs it, and building its statements cost about as much as running them. The
 * row's columns are placeholders under their own names; the event, email and limits have their
 * own. Without `admit` the limit's hit, which comes first, is the caller's (rateLimitInBatch
 * builds it once too); with it, the batch after the admitting limit's hit (the caller's) looks
 * the address up and counts the mailbox's limit and writes the reader only within the
 * admitting one, the mailbox's hit only for an address no reader has yet (it is counted where
 * the reader is, otherwise: requestAgain).
 */
function insertBatch(db: Database, columns: string[], limit: QueueWith['limit'], mail: 'claimed' | 'queued' | undefined, admit: boolean) {
  // The row this batch inserted: its mailbox and creation time, and (SQLite's changes(): the
  // rows the statement just before wrote) only when the insert, then the event, did write. A
  // reader already there and created in the same millisecond gets neither (a repeat is
  // requestAgain's).
  const justWritten = sql`changes() = 1`;
  const mine = and(eq(subscribers.mailbox, p('mailbox')), eq(subscribers.createdAt, p('createdAt')), justWritten)!;
  const mailWhere = limit ? and(mine, withinRateLimit)! : mine;
  const mailArgs = { kind: p('mailKind'), issuedAt: p('mailIssuedAt'), now: p('eventAt'), where: mailWhere };
  const insert = db.insert(subscribers);
  const items = [
    ...(admit ? [byEmailInBatch(db)] : []),
    ...(admit && limit ? [batchItemOf(hitWhere(db, 'limit', and(withinLimit('ipLimit'), noReaderYet)!))] : []),
    batchItemOf(
      (admit
        ? insert.select(rowWhere(columns, withinLimit('ipLimit')))
        : insert.values(Object.fromEntries(columns.map((c) => [c, p(c)])) as unknown as NewSubscriber)
      )
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

type Inserted = { subscriber: Subscriber; mail?: QueuedMail; allowed?: boolean };

/** The batch's values and statements for one call of insertSubscriber or admitSubscriber. */
function insertItems(
  db: Database,
  values: NewSubscriber,
  event: Omit<EventInput, 'subscriberId'>,
  queue: QueueWith | undefined,
  admit?: ReturnType<typeof rateLimitInBatch>,
) {
  const row: Record<string, unknown> = { ...values, mailbox: mailboxKey(values.email), createdAt: values.createdAt ?? event.at };
  // A column left undefined takes its default, so it is not part of the statement.
  const columns = Object.keys(row).filter((c) => row[c] !== undefined).sort();
  const limit = queue?.limit;
  const mail = queue && (queue.claimMs ? 'claimed' : 'queued');
  const shape = `${columns.join()}|${limit ? 'limit' : ''}|${mail ?? ''}|${admit ? 'admit' : ''}`;
  const batches = insertBatches(db);
  let batch = batches.get(shape);
  if (!batch) batches.set(shape, (batch = insertBatch(db, columns, limit, mail, admit !== undefined)));
  const { type: eventType, detail: eventDetail, ip: eventIp, at: eventAt } = eventValues(event);
  return batch({
    ...row,
    eventType,
    eventDetail,
    eventIp,
    eventAt,
    ...(queue && { mailKind: queue.kind, mailIssuedAt: queue.issuedAt, mailLeaseUntil: event.at + (queue.claimMs ?? 0) }),
    ...limit?.values,
    ...admit?.values,
  });
}

/** What the batch answered for the reader's row and email, as insertSubscriber returns it. */
function inserted(queue: QueueWith | undefined, hit: { count: number }[] | undefined, rows: Subscriber[], queued: QueuedMail | undefined): Inserted | null {
  const [row] = rows;
  if (!row) return null;
  const limit = queue?.limit;
  return {
    subscriber: row,
    ...(queue?.claimMs && queued ? { mail: queued } : {}),
    ...(limit && hit ? { allowed: limit.allowed(hit) } : {}),
  };
}

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
): Promise<Inserted | null> {
  const limit = queue?.limit;
  const results = (await db.batch([...(limit ? [limit.hit] : []), ...insertItems(db, values, event, queue)])) as unknown[];
  const [hit, rows, , queued] = (limit ? results : [undefined, ...results]) as [{ count: number }[] | undefined, Subscriber[], unknown, QueuedMail | undefined];
  return inserted(queue, hit, rows, queued);
}

/**
 * insertSubscriber admitted by another limit, all in one batch (one D1 round trip): the sign-up
 * form's, whose per-IP count (`admit`, named 'ipLimit') is the batch's first statement and
 * commits whatever the answer. Then the address is looked up (as findSubscriberByEmail), and
 * the reader, event, mailbox hit and email are written only within the IP's limit, for an
 * address no reader has. Answers whether the IP was within its limit; if so, the reader the
 * address already reached (nothing else written) or what insertSubscriber answers.
 */
export async function admitSubscriber(
  db: Database,
  admit: ReturnType<typeof rateLimitInBatch>,
  values: NewSubscriber,
  event: Omit<EventInput, 'subscriberId'>,
  queue: QueueWith & { limit: NonNullable<QueueWith['limit']> },
): Promise<{ admitted: false } | { admitted: true; existing: Subscriber | undefined; created: Inserted | null }> {
  const items = insertItems(db, values, event, queue, admit);
  const [ipHit, readers, hit, rows, , queued] = (await db.batch([admit.hit, ...items])) as [
    { count: number }[],
    Subscriber[],
    { count: number }[],
    Subscriber[],
    unknown,
    QueuedMail | undefined,
  ];
  if (!admit.allowed(ipHit)) return { admitted: false };
  return { admitted: true, existing: readers[0], created: inserted(queue, hit, rows, queued) };
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
