import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { moveCampaigns } from '../campaigns/status';
import type { Campaign } from '../db/schema';
import { topicColumn } from './audience';

export interface ClaimedChunk {
  campaignId: number;
  chunk: number;
  attempts: number;
  firstTriedAt: number | null;
}

/**
 * Claims the next chunk that is due: pending and past its backoff, or leased by a sender whose
 * lease ran out (it died or hung). One UPDATE … WHERE rowid = (SELECT …) RETURNING, so two
 * senders can never claim the same chunk. Only chunks of campaigns that are `sending` qualify:
 * pausing or cancelling a campaign stops its chunks from being claimed.
 */
export async function claimChunk(db: Database, args: { now: number; leaseMs: number; campaignId?: number }): Promise<ClaimedChunk | null> {
  const onlyCampaign = args.campaignId === undefined ? sql`` : sql`and sc.campaign_id = ${args.campaignId}`;
  const rows = await db.all<{ campaign_id: number; chunk: number; attempts: number; first_tried_at: number | null }>(sql`
    update send_chunks set status = 'leased', lease_until = ${args.now + args.leaseMs}, attempts = attempts + 1
    where rowid = (
      select sc.rowid from send_chunks sc join campaigns c on c.id = sc.campaign_id
      where c.status = 'sending' ${onlyCampaign}
        and ((sc.status = 'pending' and coalesce(sc.not_before, 0) <= ${args.now})
          or (sc.status = 'leased' and sc.lease_until <= ${args.now}))
      order by sc.campaign_id, sc.chunk
      limit 1)
    returning campaign_id, chunk, attempts, first_tried_at`);
  const row = rows[0];
  if (!row) return null;
  return { campaignId: row.campaign_id, chunk: row.chunk, attempts: row.attempts, firstTriedAt: row.first_tried_at };
}

/**
 * Fixes a chunk's members on its first try: readers who left (or dropped the topic, or were
 * erased) since the send started are skipped, and the others' address and name are copied onto
 * their delivery. From then on every retry sends exactly the same batch, which is what lets the
 * idempotency key work. Every statement checks `first_tried_at is null`, so a chunk is fixed once.
 */
export async function freezeChunk(db: Database, campaign: Pick<Campaign, 'id' | 'topic'>, chunk: number, now: number) {
  const notFrozen = sql`exists (select 1 from send_chunks where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null)`;
  await db.batch([
    db.run(sql`
      update deliveries set status = 'skipped', error = 'left before the email was sent'
      where campaign_id = ${campaign.id} and chunk = ${chunk} and status = 'queued' and ${notFrozen}
        and not exists (select 1 from subscribers s where s.id = deliveries.subscriber_id
                        and s.status = 'active' and ${topicColumn(campaign)} = 1)`),
    db.run(sql`
      update deliveries set
        email = (select s.email from subscribers s where s.id = deliveries.subscriber_id),
        name = (select s.name from subscribers s where s.id = deliveries.subscriber_id)
      where campaign_id = ${campaign.id} and chunk = ${chunk} and status = 'queued' and ${notFrozen}`),
    db.run(sql`
      update send_chunks set first_tried_at = ${now}
      where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null`),
  ]);
}

export interface ChunkMember {
  id: number;
  subscriberId: number;
  email: string;
  name: string | null;
}

/** The members of a frozen chunk, in a fixed order (the batch must be the same on every try). */
export async function chunkMembers(db: Database, campaignId: number, chunk: number): Promise<ChunkMember[]> {
  const rows = await db.all<{ id: number; subscriber_id: number; email: string; name: string | null }>(sql`
    select id, subscriber_id, email, name from deliveries
    where campaign_id = ${campaignId} and chunk = ${chunk} and status in ('queued', 'sent') and email is not null
    order by id`);
  return rows.map((r) => ({ id: r.id, subscriberId: r.subscriber_id, email: r.email, name: r.name }));
}

/**
 * The provider accepted the batch: record every message id and close the chunk, in one batch.
 * The ids go in as one JSON array joined with json_each (UPDATE … FROM), one statement for the
 * whole chunk rather than a hundred, and under D1's limit of 100 bound parameters.
 */
export async function markChunkSent(db: Database, args: { campaignId: number; chunk: number; members: ChunkMember[]; ids: string[]; now: number }) {
  const pairs = JSON.stringify(args.members.map((m, i) => [m.id, args.ids[i] ?? null]));
  await db.batch([
    db.run(sql`update send_chunks set status = 'sent', sent_at = ${args.now}, lease_until = null, last_error = null
               where campaign_id = ${args.campaignId} and chunk = ${args.chunk}`),
    db.run(sql`update deliveries set status = 'sent', provider_id = j.value ->> 1, sent_at = coalesce(sent_at, ${args.now}), error = null
               from json_each(${pairs}) j
               where deliveries.id = j.value ->> 0`),
  ]);
}

/** A try failed in a way worth retrying: back to pending, not before `notBefore`. */
export async function releaseChunk(db: Database, args: { campaignId: number; chunk: number; notBefore: number; error: string }) {
  await db.run(sql`
    update send_chunks set status = 'pending', lease_until = null, not_before = ${args.notBefore}, last_error = ${args.error}
    where campaign_id = ${args.campaignId} and chunk = ${args.chunk} and status = 'leased'`);
}

/** A try failed for good (the provider refused the request itself): the chunk's readers are failed. */
export async function failChunk(db: Database, args: { campaignId: number; chunk: number; error: string; now: number }) {
  await db.batch([
    db.run(sql`update deliveries set status = 'failed', error = ${args.error}
               where campaign_id = ${args.campaignId} and chunk = ${args.chunk} and status = 'queued'`),
    db.run(sql`update send_chunks set status = 'failed', lease_until = null, last_error = ${args.error}
               where campaign_id = ${args.campaignId} and chunk = ${args.chunk}`),
  ]);
}

/**
 * Closes campaigns that are `sending` and have no chunk left to send. Called after each chunk
 * and on every loop tick (a campaign with an empty audience has no chunks at all).
 */
export async function finishCampaigns(db: Database, now: number): Promise<number[]> {
  const rows = await moveCampaigns(
    db,
    'finish',
    sql`not exists (select 1 from send_chunks sc where sc.campaign_id = campaigns.id and sc.status in ('pending', 'leased'))`,
    { now, values: { finishedAt: now } },
  );
  return rows.map((r) => r.id);
}
