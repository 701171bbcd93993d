/**
 * Finishing campaigns (the last chunk sent, or a loop tick) runs a statement built once with `now`
 * as a placeholder (chunk-queries.ts, issue 14) where it was built afresh by moveCampaignQuery
 * on every call. This proves it does exactly what the built statement did: the same campaigns
 * finished, with the same finished and updated times, in markChunkSent's batch and on its own.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { moveCampaignQuery } from '../../src/campaigns/status';
import type { Database } from '../../src/db/database';
import { claimChunk, finishCampaigns, freezeChunk, markChunkSent } from '../../src/sending/chunk-queries';
import { startSend } from '../../src/sending/start-send';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
let closed = false;
afterEach(() => (closed ? undefined : t?.close()));

/** How finishCampaigns finished campaigns before (chunk-queries.ts, issue 14). */
async function finishAsBefore(db: Database, now: number): Promise<number[]> {
  const rows = await moveCampaignQuery(
    db,
    'finish',
    sql`not exists (select 1 from send_chunks sc where sc.campaign_id = campaigns.id and sc.status in ('pending', 'leased'))`,
    { now, values: { finishedAt: now } },
  );
  return rows.map((r) => r.id);
}

/** Three started appeals to 150 readers (two chunks each), the first one fully sent but not yet finished. */
async function threeSends() {
  t = await createTestApp();
  closed = false;
  await seedReaders(t.db, 150, { name: 'Reader' });
  const ids: number[] = [];
  for (const subject of ['One', 'Two', 'Three']) {
    const res = await t.admin('/admin/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({ kind: 'appeal', subject, body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
    });
    const { id } = (await res.json()) as { id: number };
    await startSend(t.deps, id);
    ids.push(id);
  }
  await t.db.run(sql`update send_chunks set status = 'sent' where campaign_id = ${ids[0]!}`);
  return ids as [number, number, number];
}

const campaignRows = (db: Database) =>
  db.all<{ id: number; status: string; finished_at: number | null; updated_at: number }>(sql`select id, status, finished_at, updated_at from campaigns order by id`);

describe('finishing campaigns', () => {
  it('finishes what the statement built on every call finished, with the same times', async () => {
    const results = [];
    for (const finish of [finishAsBefore, finishCampaigns]) {
      await threeSends();
      const first = await finish(t.db, 1_900_000_000_000);
      // The second campaign's chunks are all sent now: a later call finishes it, and only it.
      await t.db.run(sql`update send_chunks set status = 'sent' where campaign_id = (select min(id) + 1 from campaigns)`);
      const second = await finish(t.db, 1_900_000_000_500);
      const third = await finish(t.db, 1_900_000_001_000);
      results.push({ first, second, third, rows: await campaignRows(t.db) });
      t.close();
      closed = true;
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.first).toHaveLength(1);
    expect(results[0]!.second).toHaveLength(1);
    expect(results[0]!.third).toEqual([]);
  });

  it('finishes the campaign in the batch that marks its last chunk sent, and not before', async () => {
    t = await createTestApp();
    await seedReaders(t.db, 150, { name: 'Reader' });
    const res = await t.admin('/admin/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({ kind: 'appeal', subject: 'Winter appeal', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
    });
    const { id } = (await res.json()) as { id: number };
    const campaign = await startSend(t.deps, id);
    const times = [1_900_000_000_000, 1_900_000_002_000];
    for (const now of times) {
      const claim = (await claimChunk(t.db, { now, leaseMs: 60_000 }))!;
      const members = await freezeChunk(t.db, campaign, claim.chunk, now);
      await markChunkSent(t.db, { campaignId: id, chunk: claim.chunk, members, ids: members.map(() => randomUUID()), now });
      const [row] = (await campaignRows(t.db)).filter((r) => r.id === id);
      expect(row).toMatchObject(now === times[0] ? { status: 'sending', finished_at: null } : { status: 'sent', finished_at: now, updated_at: now });
    }
  });
});
