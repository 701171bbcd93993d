/**
 * freezeChunk fixes a chunk's members on its first try in one UPDATE (skip the readers who left,
 * copy the others' address and name). It was two UPDATEs; this proves the one does exactly what
 * the two did, over readers who stayed, unsubscribed, dropped the topic, bounced, were erased or
 * changed their address between the start of the send and the chunk's first try.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database';
import { claimChunk, freezeChunk } from '../../src/sending/chunk-queries';
import { startSend } from '../../src/sending/start-send';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
afterEach(() => t?.close());

/** The two statements freezeChunk ran before (chunk-queries.ts, issue 14), for comparison. */
async function freezeAsBefore(db: Database, campaign: { id: number; topic: 'digest' | 'appeals' }, chunk: number, now: number) {
  const topic = campaign.topic === 'digest' ? sql.raw('s.wants_digest') : sql.raw('s.wants_appeals');
  const notFrozen = sql`exists (select 1 from send_chunks where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null)`;
  await db.batch([
    db.run(sql`
      update deliveries set status = 'skipped', error = 'left before the email was sent'
      where campaign_id = ${campaign.id} and chunk = ${chunk} and status = 'queued' and ${notFrozen}
        and not exists (select 1 from subscribers s where s.id = deliveries.subscriber_id
                        and s.status = 'active' and ${topic} = 1)`),
    db.run(sql`
      update deliveries set
        email = (select s.email from subscribers s where s.id = deliveries.subscriber_id),
        name = (select s.name from subscribers s where s.id = deliveries.subscriber_id)
      where campaign_id = ${campaign.id} and chunk = ${chunk} and status = 'queued' and ${notFrozen}`),
    db.run(sql`update send_chunks set first_tried_at = ${now} where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null`),
  ]);
}

/** Two started appeals to the same 12 readers, then changes to six of them before any chunk is tried. */
async function startedWithChanges() {
  t = await createTestApp();
  const ids = await seedReaders(t.db, 12, { name: 'Reader' });
  const campaigns: number[] = [];
  for (const subject of ['Winter appeal', 'Winter appeal, again']) {
    const res = await t.admin('/admin/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({ kind: 'appeal', subject, body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
    });
    const { id } = (await res.json()) as { id: number };
    await startSend(t.deps, id);
    campaigns.push(id);
  }
  const [a, b, c, d, e, f] = ids as [number, number, number, number, number, number];
  await t.db.run(sql`update subscribers set status = 'unsubscribed' where id = ${a}`);
  await t.db.run(sql`update subscribers set wants_appeals = 0 where id = ${b}`);
  await t.db.run(sql`update subscribers set status = 'bounced' where id = ${c}`);
  await t.db.run(sql`delete from subscribers where id = ${d}`);
  await t.db.run(sql`update subscribers set email = 'moved@example.org', name = 'Moved' where id = ${e}`);
  await t.db.run(sql`update subscribers set wants_digest = 0, name = null where id = ${f}`);
  return { campaigns: campaigns as [number, number], ids };
}

const ledger = (db: Database, campaignId: number) =>
  db.all<Record<string, unknown>>(sql`select subscriber_id, chunk, status, email, name, error from deliveries where campaign_id = ${campaignId} order by subscriber_id`);

describe('freezeChunk', () => {
  it('skips and copies exactly as the two statements it replaces did', async () => {
    const { campaigns: [old, now] } = await startedWithChanges();
    await freezeAsBefore(t.db, { id: old, topic: 'appeals' }, 0, t.deps.now());
    const members = await freezeChunk(t.db, { id: now, topic: 'appeals' }, 0, t.deps.now());

    const got = await ledger(t.db, now);
    expect(got).toEqual(await ledger(t.db, old));
    expect(got.filter((r) => r.status === 'skipped')).toHaveLength(4);
    expect(members).toHaveLength(8);
    expect(members.map((m) => m.email)).toContain('moved@example.org');
    expect(members.every((m) => m.email !== null)).toBe(true);
  });

  it('fixes a chunk once: a later freeze changes nothing, even after more readers leave', async () => {
    const { campaigns: [id], ids } = await startedWithChanges();
    const claim = await claimChunk(t.db, { now: t.deps.now(), leaseMs: 60_000 });
    const first = await freezeChunk(t.db, { id, topic: 'appeals' }, claim!.chunk, t.deps.now());
    const rows = await ledger(t.db, id);
    await t.db.run(sql`update subscribers set status = 'unsubscribed' where id = ${ids[8]!}`);
    const again = await freezeChunk(t.db, { id, topic: 'appeals' }, claim!.chunk, t.deps.now());
    expect(again).toEqual(first);
    expect(await ledger(t.db, id)).toEqual(rows);
  });
});
