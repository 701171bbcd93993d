import type { InStatement } from '@libsql/client';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openLibsql } from '../../src/db/libsql';
import { batchItemOf } from '../../src/db/prepared';
import { rateLimits, subscriberEvents, subscribers, transactionalMail } from '../../src/db/schema';
import type { Database } from '../../src/db/database';
import { rateLimitInBatch } from '../../src/rate-limit';
import { mailboxKey } from '../../src/subscribers/mailbox';
import { insertSubscriber, type NewSubscriber } from '../../src/subscribers/queries';
import { finishMail, queueClaimedMailStatement, queueMailStatement } from '../../src/transactional/queries';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A migrated database, and every batch that reaches its client, as SQL and arguments. */
async function open() {
  const { db, client } = await openLibsql(':memory:');
  closers.push(() => client.close());
  const batches: { sql: string; args: unknown }[][] = [];
  const batch = client.batch.bind(client);
  client.batch = (stmts, mode) => {
    batches.push((stmts as Exclude<InStatement, string>[]).map((s) => ({ sql: s.sql, args: s.args })));
    return batch(stmts, mode);
  };
  const executed: { sql: string; args: unknown }[] = [];
  const execute = client.execute.bind(client) as (stmt: InStatement) => ReturnType<typeof client.execute>;
  client.execute = ((stmt: InStatement) => {
    if (typeof stmt !== 'string') executed.push({ sql: stmt.sql, args: stmt.args });
    return execute(stmt);
  }) as typeof client.execute;
  return { db, batches, executed };
}

const asSent = (db: Database, items: unknown[]) =>
  items.map((item) => {
    const query = (item as { _prepare(): { getQuery(): { sql: string; params: unknown[] } } })._prepare().getQuery();
    return { sql: query.sql, args: query.params };
  });

/**
 * insertSubscriber's batch as it was built before its statements were prepared once (each
 * builder made anew with its values): the oracle the prepared batch must equal, statement for
 * statement and argument for argument.
 */
function builtBatch(
  db: Database,
  values: NewSubscriber,
  event: { type: string; detail?: Record<string, unknown>; ip?: string | null; at: number },
  queue?: { kind: 'confirm'; issuedAt: number; claimMs?: number; limit?: { key: string; windowStart: number; limit: number } },
) {
  const mailbox = mailboxKey(values.email);
  const at = values.createdAt ?? event.at;
  // The event and email only follow a write of the statement just before (src/subscribers/queries.ts).
  const mine = and(eq(subscribers.mailbox, mailbox), eq(subscribers.createdAt, at), sql`changes() = 1`)!;
  const limit = queue?.limit;
  const within = limit && sql`(select ${rateLimits.count} from ${rateLimits} where ${rateLimits.key} = ${limit.key}) <= ${limit.limit}`;
  const where: SQL = within ? and(mine, within)! : mine;
  const mail = queue && { kind: queue.kind, issuedAt: queue.issuedAt, now: event.at, where };
  return [
    ...(limit
      ? [
          db
            .insert(rateLimits)
            .values({ key: limit.key, windowStart: limit.windowStart, count: 1 })
            .onConflictDoUpdate({
              target: rateLimits.key,
              set: {
                count: sql`case when ${rateLimits.windowStart} = ${limit.windowStart} then ${rateLimits.count} + 1 else 1 end`,
                windowStart: sql`${limit.windowStart}`,
              },
            })
            .returning({ count: rateLimits.count }),
        ]
      : []),
    db.insert(subscribers).values({ ...values, mailbox, createdAt: at }).onConflictDoNothing().returning(),
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
        .where(mine),
    ),
    ...(mail ? [queue.claimMs ? queueClaimedMailStatement(db, { ...mail, leaseUntil: event.at + queue.claimMs }) : queueMailStatement(db, mail)] : []),
  ];
}

const AT = Date.UTC(2026, 11, 1, 12);

describe('statements built once with placeholders', () => {
  it('send what the builder sends and read back what it reads, in a batch', async () => {
    const { db } = await open();
    const row = (email: string) => ({ email, mailbox: email, status: 'pending' as const, wantsDigest: false, tags: ['a', 'b'], createdAt: AT, updatedAt: AT });
    const built = db.insert(subscribers).values(row('a@example.org')).returning();
    const placeholders = Object.fromEntries(Object.keys(row('')).map((k) => [k, sql.placeholder(k)]));
    const prepared = batchItemOf(db.insert(subscribers).values(placeholders as never).returning());
    const item = prepared(row('b@example.org'));
    const [a] = asSent(db, [built]);
    const [b] = asSent(db, [item]);
    expect(b!.sql).toBe(a!.sql);
    expect(b!.args).toEqual(a!.args.map((v) => (v === 'a@example.org' ? 'b@example.org' : v)));
    const [[first], [second]] = (await db.batch([built, item])) as [{ email: string }[], { email: string }[]];
    expect({ ...second, id: 0, email: '', mailbox: '' }).toEqual({ ...first, id: 0, email: '', mailbox: '' });
    expect(second!.email).toBe('b@example.org');
  });

  it('make the sign-up batch exactly as the builders made it, for each shape of call', async () => {
    const { db, batches } = await open();
    const values = (email: string): NewSubscriber => ({
      email,
      name: null,
      status: 'pending',
      wantsDigest: true,
      wantsAppeals: false,
      consentAt: AT,
      consentIp: '203.0.113.9',
      consentUserAgent: 'Mozilla/5.0',
      consentSource: 'https://news.example.org/a',
      consentWording: 'footer-2026-11',
      createdAt: AT,
      updatedAt: AT,
    });
    const event = { type: 'subscribe_requested' as const, detail: { source: 'https://news.example.org/a', topics: ['digest'] }, ip: '203.0.113.9', at: AT };
    const limitArgs = { key: 'mail:abc', limit: 3, windowMs: 86_400_000, now: AT };
    const windowStart = AT - (AT % limitArgs.windowMs);

    // The form's sign-up: limit, claimed confirmation. Twice, so the second uses what the first built.
    for (const email of ['Reader.One+news@Example.org', 'two@example.org']) {
      await insertSubscriber(db, values(email), event, { kind: 'confirm', issuedAt: AT, claimMs: 60_000, limit: rateLimitInBatch(db, limitArgs) });
      const oracle = builtBatch(db, values(email), event, { kind: 'confirm', issuedAt: AT, claimMs: 60_000, limit: { key: limitArgs.key, windowStart, limit: 3 } });
      expect(batches.pop()).toEqual(asSent(db, oracle));
    }
    // An editor's: other columns, a queued email, no limit; and none at all.
    const editor = { ...values('three@example.org'), tags: ['donor'], confirmedAt: null, consentIp: undefined };
    await insertSubscriber(db, editor, { ...event, ip: null, detail: undefined }, { kind: 'confirm', issuedAt: AT });
    expect(batches.pop()).toEqual(asSent(db, builtBatch(db, editor, { ...event, ip: null, detail: undefined }, { kind: 'confirm', issuedAt: AT })));
    await insertSubscriber(db, values('four@example.org'), event);
    expect(batches.pop()).toEqual(asSent(db, builtBatch(db, values('four@example.org'), event)));

    const mail = await db.run(sql`select count(*) as n from transactional_mail`);
    expect(mail.rows[0]!.n).toBe(3);
  });

  it('finish an email exactly as the builders did, with and without its event', async () => {
    const { db, batches, executed } = await open();
    const [reader] = await db.insert(subscribers).values({ email: 'a@example.org', mailbox: 'a@example.org' }).returning();
    const [row] = await db
      .insert(transactionalMail)
      .values({ subscriberId: reader!.id, kind: 'confirm', issuedAt: AT, idempotencyKey: 'k', notBefore: AT, createdAt: AT })
      .returning();
    const update = (o: { status: 'sent' | 'failed' | 'skipped'; at: number; providerId?: string; error?: string }) =>
      db
        .update(transactionalMail)
        .set({ status: o.status, leaseUntil: null, sentAt: o.status === 'sent' ? o.at : null, providerId: o.providerId ?? null, lastError: o.error ?? null })
        .where(eq(transactionalMail.id, row!.id));
    await finishMail(db, row!, { status: 'skipped', at: AT });
    expect(executed.pop()).toEqual(asSent(db, [update({ status: 'skipped', at: AT })])[0]);
    const sent = { status: 'sent' as const, at: AT + 1, providerId: 'p-1', event: { type: 'confirmation_sent' as const, detail: { messageId: 'p-1' } } };
    await finishMail(db, row!, sent);
    const event = db.insert(subscriberEvents).values({ subscriberId: reader!.id, type: sent.event.type, detail: sent.event.detail, createdAt: sent.at });
    expect(batches.pop()).toEqual(asSent(db, [update(sent), event]));
    const [after] = await db.select().from(transactionalMail);
    expect(after).toMatchObject({ status: 'sent', sentAt: AT + 1, providerId: 'p-1', leaseUntil: null, lastError: null });
  });
});
