import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { campaigns, subscriberStatuses, type SubscriberStatus } from '../../db/schema';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** Readers per status: the running totals in subscriber_counts (kept by triggers on subscribers). */
export async function readersByStatus(db: Database): Promise<Record<SubscriberStatus, number>> {
  const rows = await db.all<{ status: SubscriberStatus; n: number }>(sql`select status, n from subscriber_counts`);
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

const DAY_MS = 24 * 3600 * 1000;

/**
 * Sign-ups (consent given) per week for the last `weeks` weeks, this week last; weeks start on
 * Monday, UTC. Summed from signup_days (readers per UTC day of consent, kept by triggers on
 * subscribers): a week is seven days, so at most 84 small rows, where counting the readers read
 * an index entry per sign-up (30 ms at 1,000,000 readers).
 */
export async function signupsPerWeek(db: Database, args: { now: number; weeks: number }): Promise<{ start: number; count: number }[]> {
  const first = weekStart(args.now) - (args.weeks - 1) * WEEK_MS;
  const out = Array.from({ length: args.weeks }, (_, i) => ({ start: first + i * WEEK_MS, count: 0 }));
  const firstDay = first / DAY_MS;
  const days = await db.all<{ day: number; n: number }>(sql`
    select day, n from signup_days where day >= ${firstDay} and day < ${firstDay + args.weeks * 7}`);
  for (const d of days) out[Math.floor((Number(d.day) - firstDay) / 7)]!.count += Number(d.n);
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
 * The latest campaigns that went out, with what happened: the ledger's totals and readers who
 * clicked (campaign_counts; archive clicks have no reader and are not counted), and unsubscribes made
 * with this campaign's links by its readers, as src/stats/campaign-stats.ts counts them. Each is
 * a running total (campaign_counts), so five campaigns cost well under a millisecond whatever the
 * list's size.
 */
export async function latestOutcomes(db: Database, limit: number): Promise<CampaignOutcome[]> {
  const rows = await db
    .select()
    .from(campaigns)
    .where(inArray(campaigns.status, ['sending', 'sent', 'paused', 'cancelled', 'failed']))
    .orderBy(desc(campaigns.startedAt))
    .limit(limit);
  const started = rows.filter((r) => r.startedAt !== null);
  const out: CampaignOutcome[] = [];
  for (const c of started) out.push(await outcomeOf(db, c));
  return out;
}

export async function outcomeOf(db: Database, c: { id: number; subject: string; kind: string; status: string; startedAt: number | null }): Promise<CampaignOutcome> {
  // Everything is one row of campaign_counts (kept by triggers): counting the ledger's totals from
  // the partial indexes read an entry per reader, 60 ms a count at 1,000,000 readers. Readers who
  // clicked are counted there (archive clicks have no reader and are not), and readers of its
  // ledger who left with its links, as src/stats/campaign-stats.ts counts them afresh: counted
  // from subscriber_events_unsubscribed_campaign_idx and checked against the ledger they cost
  // 8 ms a campaign at 1,000,000 readers (2,000 unsubscribes), and the dashboard shows five.
  const [ledger] = await db.all<{ sent: number | null; delivered: number | null; bounced: number | null; complained: number | null; clickers: number | null; unsubscribes: number | null }>(sql`
    select sent, delivered, bounced, complained, clickers, unsubscribes from campaign_counts where campaign_id = ${c.id}`);
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
    clickers: n(ledger?.clickers),
    unsubscribes: n(ledger?.unsubscribes),
  };
}

