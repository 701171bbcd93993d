import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import type { CampaignStatus, ChunkStatus } from '../db/schema';
import { claimableAt, claimedChunk, claimReturning, claimSetting, type ClaimedChunk, type ClaimRow } from './chunk-queries';

/**
 * The ledger as the Cloudflare Queue sender sees it. A queue job names one chunk; these queries
 * claim that chunk under the same rules as claimChunk (Node's loop claims whichever is next),
 * and say why a job's chunk cannot be claimed, so the consumer knows whether to drop the job or
 * look again later.
 */

/** One queue message: send this chunk of this campaign. */
export interface ChunkJob {
  campaignId: number;
  chunk: number;
}

/**
 * Claims the named chunk if it is due: pending and past its backoff, or leased by a consumer
 * whose lease ran out. The same single UPDATE … RETURNING as claimChunk, so of two deliveries of
 * one job (Queues deliver at least once) only one gets the chunk while the lease lasts.
 */
export async function claimJobChunk(db: Database, job: ChunkJob & { now: number; leaseMs: number }): Promise<ClaimedChunk | null> {
  const rows = await db.all<ClaimRow>(sql`
    update send_chunks ${claimSetting(job.now, job.leaseMs)}
    where campaign_id = ${job.campaignId} and chunk = ${job.chunk} and ${claimableAt(job.now)}
      and exists (select 1 from campaigns c where c.id = send_chunks.campaign_id and c.status = 'sending')
    ${claimReturning}`);
  return claimedChunk(rows[0]);
}

export interface JobChunkState {
  chunkStatus: ChunkStatus;
  notBefore: number | null;
  leaseUntil: number | null;
  campaignStatus: CampaignStatus;
}

/** Where a job's chunk stands; null when the campaign (and so the chunk) no longer exists. */
export async function jobChunkState(db: Database, job: ChunkJob): Promise<JobChunkState | null> {
  const rows = await db.all<{ status: ChunkStatus; not_before: number | null; lease_until: number | null; campaign_status: CampaignStatus }>(sql`
    select sc.status, sc.not_before, sc.lease_until, c.status as campaign_status
    from send_chunks sc join campaigns c on c.id = sc.campaign_id
    where sc.campaign_id = ${job.campaignId} and sc.chunk = ${job.chunk}`);
  const row = rows[0];
  if (!row) return null;
  return { chunkStatus: row.status, notBefore: row.not_before, leaseUntil: row.lease_until, campaignStatus: row.campaign_status };
}

/** A campaign's chunks still to send, as jobs: pending, or leased (a lapsed lease is claimable). */
export async function unsentJobs(db: Database, campaignId: number): Promise<ChunkJob[]> {
  const rows = await db.all<{ chunk: number }>(sql`
    select chunk from send_chunks
    where campaign_id = ${campaignId} and status in ('pending', 'leased')
    order by chunk`);
  return rows.map((r) => ({ campaignId, chunk: r.chunk }));
}

/**
 * Chunks of sending campaigns whose job looks lost: enqueuing failed after the ledger was
 * written, or a send was started from the Node CLI, which has no queue. There is no record of
 * what is in the queue, so "lost" is judged by time: a chunk is overdue `graceMs` after it should
 * have been sent, which for a fresh chunk is its place in line at SEND_RATE (chunk 600 of a big
 * send legitimately waits five minutes at 2 per second), for a retried one its backoff, for a
 * leased one the end of its lease. A chunk that was only slow gets a second job, which costs one
 * claim that finds nothing to do, never a second email.
 */
export async function overdueJobs(db: Database, args: { now: number; graceMs: number; sendRate: number; limit: number }): Promise<ChunkJob[]> {
  const msPerChunk = 1000 / args.sendRate;
  const rows = await db.all<{ campaign_id: number; chunk: number }>(sql`
    select sc.campaign_id, sc.chunk
    from send_chunks sc join campaigns c on c.id = sc.campaign_id
    where c.status = 'sending'
      and ((sc.status = 'pending' and coalesce(sc.not_before, c.started_at + sc.chunk * ${msPerChunk}) <= ${args.now - args.graceMs})
        or (sc.status = 'leased' and sc.lease_until <= ${args.now - args.graceMs}))
    order by sc.campaign_id, sc.chunk
    limit ${Math.trunc(args.limit)}`);
  return rows.map((r) => ({ campaignId: r.campaign_id, chunk: r.chunk }));
}
