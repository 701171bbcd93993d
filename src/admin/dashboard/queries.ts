import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { campaigns, subscriberStatuses, type SubscriberStatus } from '../../db/schema';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Readers per status: one pass over subscribers_status_idx. */
export async function readersByStatus(db: Database): Promise<Record<SubscriberStatus, number>> {
  const rows = await db.all<{ status: SubscriberStatus; n: number }>(sql`select status, count(*) as n from subscribers group by status`);
  const out = Object.fromEntries(subscriberStatuses.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** Monday 00:00 UTC of the week holding `ms`. */
export function weekStart(ms: number): number {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7; // Monday = 0
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
}

/**
 * Sign-ups (consent given) per week for the last `weeks` weeks, this week last; weeks start on
 * Monday, UTC. A range read of subscribers_consent_idx.
 */
export async function signupsPerWeek(db: Database, args: { now: number; weeks: number }): Promise<{ start: number; count: number }[]> {
  const first = weekStart(args.now) - (args.weeks - 1) * WEEK_MS;
  const rows = await db.all<{ w: number; n: number }>(sql`
    select cast((consent_at - ${first}) / ${WEEK_MS} as integer) as w, count(*) as n from subscribers
    where consent_at >= ${first} group by w`);
  const out = Array.from({ length: args.weeks }, (_, i) => ({ start: first + i * WEEK_MS, count: 0 }));
  for (const r of rows) {
    const w = Math.floor(Number(r.w));
    if (w >= 0 && w < args.weeks) out[w]!.count += Number(r.n);
  }
  return out;
}

export const nextScheduled = (db: Database) =>
  db.select().from(campaigns).where(eq(campaigns.status, 'scheduled')).orderBy(asc(campaigns.scheduledAt)).limit(1).get();

export interface CampaignOutcome {
  id: number;
  subject: string;
  kind: string;
  status: string;
  startedAt: number | null;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  clickers: number;
  unsubscribes: number;
}

/**
 * The latest campaigns that went out, with what happened: one aggregate per campaign over its
 * ledger rows (deliveries_campaign_chunk_idx), readers who clicked (link_clicks_campaign_idx;
 * archive clicks have no reader and are not counted), and unsubscribes made with this campaign's
 * links (starting from its readers, as src/stats/campaign-stats.ts does).
 */
export async function latestOutcomes(db: Database, limit: number): Promise<CampaignOutcome[]> {
  const rows = await db
    .select()
    .from(campaigns)
    .where(inArray(campaigns.status, ['sending', 'sent', 'paused', 'cancelled', 'failed']))
    .orderBy(desc(campaigns.startedAt))
    .limit(limit);
  const started = rows.filter((r) => r.startedAt !== null);
  return Promise.all(started.map((c) => outcomeOf(db, c)));
}

export async function outcomeOf(db: Database, c: { id: number; subject: string; kind: string; status: string; startedAt: number | null }): Promise<CampaignOutcome> {
  const [ledger] = await db.all<{ sent: number | null; delivered: number | null; bounced: number | null; complained: number | null }>(sql`
    select sum(sent_at is not null) as sent, sum(delivered_at is not null) as delivered,
           sum(bounced_at is not null) as bounced, sum(complained_at is not null) as complained
    from deliveries where campaign_id = ${c.id}`);
  const [clicks] = await db.all<{ n: number }>(sql`
    select count(distinct subscriber_id) as n from link_clicks where campaign_id = ${c.id} and subscriber_id is not null`);
  const [unsub] = await db.all<{ n: number }>(sql`
    select count(distinct e.subscriber_id) as n from subscriber_events e
    where e.subscriber_id in (select subscriber_id from deliveries where campaign_id = ${c.id})
      and e.type = 'unsubscribed' and json_extract(e.detail, '$.campaignId') = ${c.id}`);
  const n = (v: number | null | undefined) => Number(v ?? 0);
  return {
    id: c.id,
    subject: c.subject,
    kind: c.kind,
    status: c.status,
    startedAt: c.startedAt,
    sent: n(ledger?.sent),
    delivered: n(ledger?.delivered),
    bounced: n(ledger?.bounced),
    complained: n(ledger?.complained),
    clickers: n(clicks?.n),
    unsubscribes: n(unsub?.n),
  };
}

