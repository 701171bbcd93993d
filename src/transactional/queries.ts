import { and, eq, getTableColumns, inArray, lt, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { batchItemOf, preparedPerDatabase } from '../db/prepared';
import { subscriberEvents, transactionalMail, type SubscriberEventType, type TransactionalKind } from '../db/schema';

export type QueuedMail = typeof transactionalMail.$inferSelect;

/** A statement's value, given as it is or as a placeholder of a statement built once (src/db/prepared.ts). */
type Value<T> = T | Placeholder;

/** The Idempotency-Key of one transactional email: the same for every attempt of it, by anyone. */
export const mailKey = (kind: TransactionalKind, subscriberId: number, issuedAt: number) => `${kind}-${subscriberId}-${issuedAt}`;

/**
 * mailKey spelled in SQL from a subscribers row, for the statements below. The time is cast: a
 * bound JS number can reach SQLite as a REAL, which `||` spells "1795400000000.0", and a key
 * spelled two ways lets the unique index take one email twice.
 */
const mailKeySql = (kind: Value<TransactionalKind>, issuedAt: Value<number>) => sql`${kind} || '-' || id || '-' || cast(${issuedAt} as integer)`;

type MailArgs = { kind: Value<TransactionalKind>; issuedAt: Value<number>; now: Value<number>; where: SQL };

/**
 * The INSERT … SELECT of the two statements below: the email of `kind` for the reader matching
 * `where`, pending, and claimed until `leaseUntil` (its first attempt counted) when one is given.
 */
const insertMailSql = (args: MailArgs, leaseUntil?: Value<number>) => sql`
    insert into transactional_mail (subscriber_id, kind, issued_at, idempotency_key, status, attempts, not_before, lease_until, created_at)
    select id, ${args.kind}, ${args.issuedAt}, ${mailKeySql(args.kind, args.issuedAt)}, 'pending', ${leaseUntil === undefined ? 0 : 1}, ${args.now}, ${leaseUntil ?? null}, ${args.now}
    from subscribers where ${args.where}
    on conflict (idempotency_key) do nothing`;

/**
 * A statement that queues `kind` for the reader matching `where`, for use inside the db.batch
 * that changes the reader: it is an INSERT … SELECT from subscribers, so the email is written
 * exactly when the reader is in the state the WHERE describes after the batch's earlier
 * statements (raw SQL because Drizzle's insert-select cannot build the key expression). The
 * key's unique index turns a second request for the same email into nothing.
 */
export function queueMailStatement(db: Database, args: MailArgs) {
  return db.run(insertMailSql(args));
}

/** Every column of a transactional_mail row under its property name, for RETURNING in raw SQL. */
const queuedMailColumns = sql.join(
  Object.entries(getTableColumns(transactionalMail)).map(([key, column]) => sql`${sql.identifier(column.name)} as ${sql.identifier(key)}`),
  sql`, `,
);

/**
 * queueMailStatement, with the row written already claimed by the caller until `leaseUntil` (its
 * first attempt counted), and returned: for the request that queues its own email and sends it
 * straight after answering (src/subscribers/notify.ts, sendClaimedSoon), so that attempt needs
 * no claim of its own and no read of the row or the reader. The lease is what a claim would have
 * set, so the row is as durable as any other: if this sender dies, the lease runs out and the
 * Node loop or the Worker's sweep claims the row and sends it with the same Idempotency-Key.
 * In a batch it gives the row, or undefined when the WHERE matched nothing or the email was
 * already queued.
 */
export function queueClaimedMailStatement(db: Database, args: MailArgs & { leaseUntil: Value<number> }) {
  return db.get<QueuedMail | undefined>(sql`${insertMailSql(args, args.leaseUntil)} returning ${queuedMailColumns}`);
}

/** Queues one email for a known reader; true when it was new (false: the same email was already queued). */
export async function queueMail(db: Database, args: { kind: TransactionalKind; subscriberId: number; issuedAt: number; now: number }) {
  const rows = await db
    .insert(transactionalMail)
    .values({
      subscriberId: args.subscriberId,
      kind: args.kind,
      issuedAt: args.issuedAt,
      idempotencyKey: mailKey(args.kind, args.subscriberId, args.issuedAt),
      notBefore: args.now,
      createdAt: args.now,
    })
    .onConflictDoNothing()
    .returning({ id: transactionalMail.id });
  return rows.length > 0;
}

/**
 * Claims the oldest due email for `leaseMs`, or null when none is due. One UPDATE … WHERE id =
 * (SELECT …) RETURNING, so two senders (two Node processes, a Worker's deferred attempt and its
 * sweep) can never both claim one row: the second finds it leased. A row whose lease ran out
 * belonged to a sender that died mid-send; it is claimed again, and its Idempotency-Key makes
 * the provider answer a repeat of an email it already accepted with the first answer.
 */
export async function claimDueMail(db: Database, args: { now: number; leaseMs: number }): Promise<QueuedMail | null> {
  const free = sql`${transactionalMail.status} = 'pending' and ${transactionalMail.notBefore} <= ${args.now}
    and (${transactionalMail.leaseUntil} is null or ${transactionalMail.leaseUntil} <= ${args.now})`;
  const [row] = await db
    .update(transactionalMail)
    .set({ leaseUntil: args.now + args.leaseMs, attempts: sql`${transactionalMail.attempts} + 1` })
    .where(
      and(
        eq(transactionalMail.id, sql`(select id from transactional_mail where ${free} order by not_before, id limit 1)`),
        free,
      ),
    )
    .returning();
  return row ?? null;
}

// finishMail's statements, built once (src/db/prepared.ts): every sent email runs them.
const p = sql.placeholder;
// Drizzle's update types take no placeholder in set(); as SQL it is one (these columns store
// their values as given, so no encoder is skipped).
const setTo = (name: string) => sql`${p(name)}`;
const finishUpdate = (db: Database) =>
  db
    .update(transactionalMail)
    .set({ status: setTo('status'), leaseUntil: null, sentAt: setTo('sentAt'), providerId: setTo('providerId'), lastError: setTo('lastError') })
    .where(eq(transactionalMail.id, p('id')));
const finishOnly = preparedPerDatabase((db) => finishUpdate(db).prepare());
const finishInBatch = preparedPerDatabase((db) => batchItemOf(finishUpdate(db)));
const finishEvent = preparedPerDatabase((db) =>
  batchItemOf(db.insert(subscriberEvents).values({ subscriberId: p('subscriberId'), type: p('eventType'), detail: p('eventDetail'), createdAt: p('at') })),
);

/** Finishes a claimed email (sent, failed or skipped), with the reader's history event when there is one. */
export async function finishMail(
  db: Database,
  row: QueuedMail,
  outcome: { status: 'sent' | 'failed' | 'skipped'; at: number; providerId?: string; error?: string; event?: { type: SubscriberEventType; detail: Record<string, unknown> } },
) {
  const values = {
    id: row.id,
    status: outcome.status,
    sentAt: outcome.status === 'sent' ? outcome.at : null,
    providerId: outcome.providerId ?? null,
    lastError: outcome.error ?? null,
  };
  if (!outcome.event) return void (await finishOnly(db).run(values));
  const event = { subscriberId: row.subscriberId, eventType: outcome.event.type, eventDetail: outcome.event.detail, at: outcome.at };
  await db.batch([finishInBatch(db)(values), finishEvent(db)(event)]);
}

/**
 * finishMail's 'sent', with its history event, for the statements after a mailer's storeInBatch
 * item (src/mailer/mailer.ts): they apply only when that item stored the message (SQLite's
 * changes() is its count of rows inserted), with its row as the provider id. Built once.
 */
const sentAfterStore = preparedPerDatabase((db) => [
  batchItemOf(
    db.run(sql`
      update transactional_mail set status = 'sent', lease_until = null, sent_at = ${p('at')}, provider_id = 'outbox_' || last_insert_rowid(), last_error = null
      where id = ${p('id')} and changes() = 1`),
  ),
  // The event exactly when the update applied: the row is then sent at this moment.
  batchItemOf(
    db.run(sql`
      insert into subscriber_events (subscriber_id, type, detail, created_at)
      select subscriber_id, ${p('eventType')}, json_object('messageId', provider_id), ${p('at')} from transactional_mail
      where id = ${p('id')} and status = 'sent' and sent_at = ${p('at')} and changes() = 1`),
  ),
]);

/** The statements recording a claimed email as sent, for after a storeInBatch item in the same batch. */
export const finishSentAfterStore = (db: Database, row: QueuedMail, args: { at: number; eventType: SubscriberEventType }) =>
  sentAfterStore(db).map((item) => item({ id: row.id, at: args.at, eventType: args.eventType }));

/** Gives a claimed email back for another try at `notBefore`. */
export async function retryMailLater(db: Database, row: QueuedMail, args: { notBefore: number; error: string }) {
  await db
    .update(transactionalMail)
    .set({ leaseUntil: null, notBefore: args.notBefore, lastError: args.error })
    .where(and(eq(transactionalMail.id, row.id), eq(transactionalMail.status, 'pending')));
}

/** How long finished rows are kept (the reader's history has the lasting record). */
const KEEP_MS = 30 * 24 * 3600 * 1000;

/** Forgets finished emails after a month; run by the half-hourly job. */
export async function pruneTransactionalMail(db: Database, now: number) {
  await db
    .delete(transactionalMail)
    .where(and(inArray(transactionalMail.status, ['sent', 'failed', 'skipped']), lt(transactionalMail.createdAt, now - KEEP_MS)));
}
