import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The running totals of deliveries (campaign_counts, kept by the triggers of drizzle 0009 and
 * 0018) against the same numbers counted afresh, after any sequence of updates any writer could
 * make: the send's, webhooks', a pause's, and a row moved to another campaign.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (const subject of ['A', 'B']) {
    await t.db.run(sql`insert into campaigns (kind, status, subject, topic, content) values ('appeal', 'sending', ${subject}, 'appeals', '{"kind":"appeal"}')`);
  }
});
afterAll(() => t.close());

const statuses = ['queued', 'sent', 'failed', 'skipped'] as const;
const column = fc.constantFrom('sent_at', 'delivered_at', 'bounced_at', 'complained_at');
const update = fc.oneof(
  fc.record({ kind: fc.constant('status' as const), row: fc.nat(5), status: fc.constantFrom(...statuses) }),
  fc.record({ kind: fc.constant('time' as const), row: fc.nat(5), column, set: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), row: fc.nat(5) }),
  // The send's one statement for many rows: status and sent_at at once.
  fc.record({ kind: fc.constant('sent' as const), rows: fc.uniqueArray(fc.nat(5), { maxLength: 6 }) }),
);

type Update = typeof update extends fc.Arbitrary<infer U> ? U : never;

async function apply(u: Update, ids: number[]) {
  if (u.kind === 'status') await t.db.run(sql`update deliveries set status = ${u.status} where id = ${ids[u.row]!}`);
  if (u.kind === 'time') await t.db.run(sql`update deliveries set ${sql.raw(u.column)} = ${u.set ? 1000 : null} where id = ${ids[u.row]!}`);
  if (u.kind === 'move') await t.db.run(sql`update deliveries set campaign_id = 3 - campaign_id where id = ${ids[u.row]!}`);
  if (u.kind === 'sent' && u.rows.length > 0) {
    const list = JSON.stringify(u.rows.map((i) => ids[i]));
    await t.db.run(sql`update deliveries set status = 'sent', sent_at = coalesce(sent_at, 2000), error = null from json_each(${list}) j where deliveries.id = j.value`);
  }
}

const fresh = () =>
  t.db.all(sql`
    select c.id as campaign_id, count(d.sent_at) as sent, count(d.delivered_at) as delivered, count(d.bounced_at) as bounced, count(d.complained_at) as complained,
      count(case when d.status = 'sent' then 1 end) as status_sent, count(case when d.status = 'failed' then 1 end) as status_failed,
      count(case when d.status = 'skipped' then 1 end) as status_skipped
    from campaigns c left join deliveries d on d.campaign_id = c.id group by c.id order by c.id`);
const running = () =>
  t.db.all(sql`
    select c.id as campaign_id, coalesce(k.sent, 0) as sent, coalesce(k.delivered, 0) as delivered, coalesce(k.bounced, 0) as bounced, coalesce(k.complained, 0) as complained,
      coalesce(k.status_sent, 0) as status_sent, coalesce(k.status_failed, 0) as status_failed, coalesce(k.status_skipped, 0) as status_skipped
    from campaigns c left join campaign_counts k on k.campaign_id = c.id order by c.id`);

describe('campaign_counts', () => {
  it('equal the deliveries counted afresh after any sequence of updates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(update, { maxLength: 25 }), async (updates) => {
        await t.db.run(sql`delete from deliveries`);
        await t.db.run(sql`delete from campaign_counts`);
        const rows = await t.db.all<{ id: number }>(sql`
          insert into deliveries (campaign_id, subscriber_id, chunk, status) values (1, 1, 0, 'queued'), (1, 2, 0, 'queued'), (1, 3, 0, 'queued'),
            (2, 4, 0, 'queued'), (2, 5, 0, 'queued'), (1, 6, 0, 'sent') returning id`);
        const ids = rows.map((r) => Number(r.id));
        for (const u of updates) await apply(u, ids);
        expect(await running()).toEqual(await fresh());
      }),
      { numRuns: 60 },
    );
  });
});
