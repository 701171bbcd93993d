import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { moveCampaignQuery } from '../campaigns/status';
import { batchItemOf, preparedPerDatabase } from '../db/prepared';
import type { Campaign } from '../db/schema';
import { topicColumn } from './audience';

export interface ClaimedChunk {
  campaignId: number;
  chunk: number;
  attempts: number;
  firstTriedAt: number | null;
  /** When a try whose outcome is unknown began (see send_chunks.in_doubt_since); null if none. */
  inDoubtSince: number | null;
  /**
   * The campaign's start time as the claim found it (a claim is only made while the campaign is
   * `sending`): a sender that has the campaign's messages for this start needs no other read.
   */
  campaignStartedAt: number | null;
}

/**
 * A chunk a sender may claim at `now`: pending and past its backoff, or leased by a sender whose
 * lease ran out (it died or hung). `t` is the table's alias in the query ('' for none).
 */
export const claimableAt = (now: number, t = '') => {
  const c = (column: string) => sql.raw(t ? `${t}.${column}` : column);
  return sql`((${c('status')} = 'pending' and coalesce(${c('not_before')}, 0) <= ${now})
    or (${c('status')} = 'leased' and ${c('lease_until')} <= ${now}))`;
};

/**
 * The SET and RETURNING of a claim. Taking over a lapsed lease means the sender that held it
 * died or hung mid-try, perhaps after Resend accepted the batch: that try (begun when its lease
 * was taken, lease_until - leaseMs) is in doubt from then on.
 */
export const claimSetting = (now: number, leaseMs: number) => sql`
  set status = 'leased', lease_until = ${now + leaseMs}, attempts = attempts + 1,
    in_doubt_since = case when status = 'leased' then coalesce(in_doubt_since, lease_until - ${leaseMs}) else in_doubt_since end`;

export const claimReturning = sql`returning campaign_id, chunk, attempts, first_tried_at, in_doubt_since,
  (select started_at from campaigns where campaigns.id = send_chunks.campaign_id) as campaign_started_at`;

export type ClaimRow = {
  campaign_id: number;
  chunk: number;
  attempts: number;
  first_tried_at: number | null;
  in_doubt_since: number | null;
  campaign_started_at: number | null;
};

export const claimedChunk = (row: ClaimRow | undefined): ClaimedChunk | null =>
  row
    ? {
        campaignId: row.campaign_id,
        chunk: row.chunk,
        attempts: row.attempts,
        firstTriedAt: row.first_tried_at,
        inDoubtSince: row.in_doubt_since,
        campaignStartedAt: row.campaign_started_at,
      }
    : null;

/**
 * Claims the next chunk that is due: pending and past its backoff, or leased by a sender whose
 * lease ran out (it died or hung). One UPDATE … WHERE rowid = (SELECT …) RETURNING, so two
 * senders can never claim the same chunk. Only chunks of campaigns that are `sending` qualify:
 * pausing or cancelling a campaign stops its chunks from being claimed. The `status in` term
 * (implied by claimableAt) and ordering by c.id (= sc.campaign_id) let SQLite walk the sending
 * campaigns in id order and each one's unsent chunks in order (send_chunks_unsent_idx), stopping
 * at the first due one, instead of sorting every pending chunk on each claim.
 */
export async function claimChunk(db: Database, args: { now: number; leaseMs: number; campaignId?: number }): Promise<ClaimedChunk | null> {
  const onlyCampaign = args.campaignId === undefined ? sql`` : sql`and sc.campaign_id = ${args.campaignId}`;
  const rows = await db.all<ClaimRow>(sql`
    update send_chunks ${claimSetting(args.now, args.leaseMs)}
    where rowid = (
      select sc.rowid from send_chunks sc join campaigns c on c.id = sc.campaign_id
      where c.status = 'sending' ${onlyCampaign} and sc.status in ('pending', 'leased') and ${claimableAt(args.now, 'sc')}
      order by c.id, sc.chunk
      limit 1)
    ${claimReturning}`);
  return claimedChunk(rows[0]);
}

/** The scheduled campaigns whose time has come, oldest first. */
export async function dueCampaignIds(db: Database, now: number): Promise<number[]> {
  const rows = await db.all<{ id: number }>(
    sql`select id from campaigns where status = 'scheduled' and scheduled_at <= ${now} order by id`,
  );
  return rows.map((r) => r.id);
}

/**
 * Fixes a chunk's members on its first try: readers who left (or dropped the topic, or were
 * erased) since the send started are skipped, and the others' address and name are copied onto
 * their delivery. From then on every retry sends exactly the same batch, which is what lets the
 * idempotency key work. Every statement checks `first_tried_at is null`, so a chunk is fixed once.
 * Returns the members as fixed, read in the same batch (one transaction, one round trip).
 *
 * One pass over the chunk's queued deliveries does both: each is joined (left) with its reader
 * as the audience has it (active, with the topic); one without such a reader is skipped, one with
 * gets the reader's address and name. (One statement where there were two: a statement's own
 * cost in the driver is about that of updating 30 rows, BENCHMARKS.md, issue 14.)
 */
export async function freezeChunk(db: Database, campaign: Pick<Campaign, 'id' | 'topic'>, chunk: number, now: number): Promise<ChunkMember[]> {
  const notFrozen = sql`exists (select 1 from send_chunks where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null)`;
  const results = await db.batch([
    db.run(sql`
      update deliveries set
        status = case when r.email is null then 'skipped' else deliveries.status end,
        error = case when r.email is null then 'left before the email was sent' else deliveries.error end,
        email = case when r.email is null then deliveries.email else r.email end,
        name = case when r.email is null then deliveries.name else r.name end,
        tagged = case when r.email is null then deliveries.tagged else 1 end
      from (
        select d.id, s.email, s.name from deliveries d
        left join subscribers s on s.id = d.subscriber_id and s.status = 'active' and ${topicColumn(campaign)} = 1
        where d.campaign_id = ${campaign.id} and d.chunk = ${chunk} and d.status = 'queued') r
      where deliveries.id = r.id and ${notFrozen}`),
    db.run(sql`
      update send_chunks set first_tried_at = ${now}
      where campaign_id = ${campaign.id} and chunk = ${chunk} and first_tried_at is null`),
    membersQuery(db, campaign.id, chunk),
  ]);
  return membersOf(results[2]);
}

export interface ChunkMember {
  id: number;
  subscriberId: number;
  email: string;
  name: string | null;
  /**
   * Whether the email carries the delivery's id as a tag (deliveries.tagged): fixed with the
   * chunk, so a chunk first tried before tags were added is retried without one, the same batch.
   */
  tagged: boolean;
}

/**
 * A chunk's members as one JSON value: the driver's cost is per row and column (about 15 µs a
 * row here as 100 rows of 4 columns, against one string to parse).
 */
const membersQuery = (db: Database, campaignId: number, chunk: number) =>
  db.all<{ members: string | null }>(sql`
    select json_group_array(json_array(id, subscriber_id, email, name, tagged)) as members from deliveries
    where campaign_id = ${campaignId} and chunk = ${chunk} and status in ('queued', 'sent') and email is not null`);

/** In a fixed order, by delivery id (the batch must be the same on every try). */
function membersOf(rows: { members: string | null }[]): ChunkMember[] {
  const found = JSON.parse(rows[0]?.members ?? '[]') as [number, number, string, string | null, number | null][];
  return found.sort((a, b) => a[0] - b[0]).map(([id, subscriberId, email, name, tagged]) => ({ id, subscriberId, email, name, tagged: tagged === 1 }));
}

/** The members of a frozen chunk, in a fixed order (the batch must be the same on every try). */
export async function chunkMembers(db: Database, campaignId: number, chunk: number): Promise<ChunkMember[]> {
  return membersOf(await membersQuery(db, campaignId, chunk));
}

/**
 * The provider accepted the batch: record every message id, close the chunk, and finish the
 * campaign if that was its last chunk, in one batch (one transaction, one round trip).
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
    finishInBatch(db)({ now: args.now }),
  ]);
}

/**
 * A try failed in a way worth retrying: back to pending, not before `notBefore`. `inDoubtSince`:
 * the try may have been accepted (its answer was lost), and began then.
 */
export async function releaseChunk(db: Database, args: { campaignId: number; chunk: number; notBefore: number; error: string; inDoubtSince?: number }) {
  await db.run(sql`
    update send_chunks set status = 'pending', lease_until = null, not_before = ${args.notBefore}, last_error = ${args.error},
      in_doubt_since = coalesce(in_doubt_since, ${args.inDoubtSince ?? null})
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
 * Sets aside a campaign's chunks in doubt since before `before` (the claimed one, and pending
 * ones, so an editor is told once): their queued readers and the chunks are failed with `error`,
 * and the campaign is paused with `reason` ({readers} and {chunks} filled in), in one batch.
 */
export async function setAsideInDoubt(
  db: Database,
  args: { campaignId: number; claimed: number; before: number; error: string; reason: string; now: number },
): Promise<{ chunks: number[]; readers: number }> {
  const inDoubt = sql`campaign_id = ${args.campaignId} and in_doubt_since <= ${args.before}
    and (chunk = ${args.claimed} or status = 'pending')`;
  const rows = await db.all<{ chunk: number; readers: number }>(sql`
    select sc.chunk, (select count(*) from deliveries d where d.campaign_id = sc.campaign_id and d.chunk = sc.chunk and d.status = 'queued') as readers
    from send_chunks sc where ${inDoubt} order by sc.chunk`);
  const chunks = rows.map((r) => Number(r.chunk));
  const readers = rows.reduce((n, r) => n + Number(r.readers), 0);
  const reason = args.reason.replace('{readers}', String(readers)).replace('{chunks}', chunks.join(', '));
  await db.batch([
    db.run(sql`update deliveries set status = 'failed', error = ${args.error}
               where campaign_id = ${args.campaignId} and status = 'queued'
                 and chunk in (select chunk from send_chunks where ${inDoubt})`),
    db.run(sql`update send_chunks set status = 'failed', lease_until = null, last_error = ${args.error} where ${inDoubt}`),
    moveCampaignQuery(db, 'pauseForUnknownOutcome', args.campaignId, { now: args.now, reason }),
  ]);
  return { chunks, readers };
}

/**
 * Closes campaigns that are `sending` and have no chunk left to send. Called after each chunk
 * and on every loop tick (a campaign with an empty audience has no chunks at all).
 */
export async function finishCampaigns(db: Database, now: number): Promise<number[]> {
  const rows = await finishPrepared(db).all({ now });
  return rows.map((r) => r.id);
}

/**
 * The finish, built once per database with `now` as a placeholder (src/db/prepared.ts): every
 * chunk runs it, and Drizzle building this update and its RETURNING of every column cost about
 * 1 ms a chunk, where SQLite runs it in 0.02 ms (BENCHMARKS.md, issue 14). Drizzle's update
 * types take no placeholder for a value; as SQL it is one (both columns store the number given).
 */
const nowValue = sql`${sql.placeholder('now')}` as unknown as number;
const finishUpdate = (db: Database) =>
  moveCampaignQuery(
    db,
    'finish',
    sql`not exists (select 1 from send_chunks sc where sc.campaign_id = campaigns.id and sc.status in ('pending', 'leased'))`,
    { now: nowValue, values: { finishedAt: nowValue } },
  );
const finishPrepared = preparedPerDatabase((db) => finishUpdate(db).prepare());
const finishInBatch = preparedPerDatabase((db) => batchItemOf(finishUpdate(db)));
