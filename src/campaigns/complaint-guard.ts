import { eq, sql } from 'drizzle-orm';
import { complaintHolds } from '../db/schema';
import type { Deps } from '../deps';
import { getCampaign } from './queries';
import { moveCampaignQuery } from './status';

type GuardDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger'>;

export interface ComplaintRate {
  complaints: number;
  /** Delivered emails, or sent ones while no delivery event has arrived (no webhooks for it). */
  base: number;
  baseKind: 'delivered' | 'sent';
  rate: number;
}

export async function complaintRate(deps: Pick<Deps, 'db'>, campaignId: number): Promise<ComplaintRate> {
  // One pass over the campaign's ledger rows (deliveries_campaign_chunk_idx).
  const [row] = await deps.db.all<{ complaints: number | null; delivered: number | null; sent: number | null }>(sql`
    select sum(complained_at is not null) as complaints, sum(delivered_at is not null) as delivered,
           sum(sent_at is not null) as sent
    from deliveries where campaign_id = ${campaignId}`);
  const complaints = Number(row?.complaints ?? 0);
  const delivered = Number(row?.delivered ?? 0);
  const base = delivered > 0 ? delivered : Number(row?.sent ?? 0);
  return { complaints, base, baseKind: delivered > 0 ? 'delivered' : 'sent', rate: base > 0 ? complaints / base : 0 };
}

const percent = (r: number) => `${(r * 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/**
 * The complaint guard, run after a complaint is recorded on a campaign's delivery. When the
 * campaign's complaints pass COMPLAINT_THRESHOLD of delivered, every appeal that is scheduled or
 * sending (campaigns of the `appeals` topic: appeals and custom appeals) is paused, with a
 * reason the editor sees on the campaign. An editor's resume releases it.
 *
 * A campaign trips the guard once: its complaint_holds row is written in the same batch as the
 * pause, and a campaign with a row is not checked again. So after an editor has looked and
 * resumed, complaints about the same campaign that keep trickling in (they arrive for days) do
 * not pause the appeals again and again; another campaign crossing the line does. The row's
 * random token makes the pause apply only for the request whose insert won, if two complaints
 * trip the guard at the same moment.
 *
 * Returns the ids of the campaigns paused now.
 */
export async function checkComplaintGuard(deps: GuardDeps, campaignId: number): Promise<number[]> {
  const held = await deps.db.select({ id: complaintHolds.campaignId }).from(complaintHolds).where(eq(complaintHolds.campaignId, campaignId)).get();
  if (held) return [];
  const { complaints, base, baseKind, rate } = await complaintRate(deps, campaignId);
  const threshold = deps.config.complaintThreshold;
  if (complaints === 0 || rate <= threshold) return [];

  const campaign = await getCampaign(deps.db, campaignId);
  const now = deps.now();
  const token = crypto.randomUUID();
  const reason =
    `Held by the complaint guard: campaign #${campaignId}` +
    (campaign ? ` ("${campaign.subject}")` : '') +
    ` drew ${complaints} spam complaint${complaints === 1 ? '' : 's'} from ${base} ${baseKind} emails (${percent(rate)}, above the ${percent(threshold)} limit). ` +
    'Check who is on the list and what was sent, then resume.';
  await deps.db.batch([
    deps.db
      .insert(complaintHolds)
      .values({ campaignId, complaints, base, threshold, token, heldAt: now })
      .onConflictDoNothing(),
    moveCampaignQuery(
      deps.db,
      'holdForComplaints',
      sql`topic = 'appeals' and exists (select 1 from complaint_holds where campaign_id = ${campaignId} and token = ${token})`,
      { now, reason },
    ),
  ]);
  // Read back rather than trusting a batch item's result shape, which differs between drivers.
  const paused = await deps.db.all<{ id: number }>(sql`select id from campaigns where status = 'paused' and status_reason = ${reason}`);
  const ids = paused.map((r) => Number(r.id));
  if (ids.length) deps.logger.warn('complaint guard: appeals held', { campaignId, complaints, base, rate, paused: ids });
  return ids;
}

/**
 * While a hold is not released, appeals do not go out: the reason of the latest hold, or null.
 * Called when an appeal is about to start, so an appeal sent after the guard tripped waits too.
 */
export async function activeHoldReason(deps: Pick<Deps, 'db'>): Promise<string | null> {
  const [row] = await deps.db.all<{ campaign_id: number; complaints: number; base: number }>(sql`
    select campaign_id, complaints, base from complaint_holds where released_at is null order by held_at desc limit 1`);
  if (!row) return null;
  return (
    `Held by the complaint guard: campaign #${row.campaign_id} drew ${row.complaints} spam complaints from ${row.base} emails. ` +
    'Appeals wait until an editor has checked the list and resumes one.'
  );
}

/** An editor resuming a held appeal releases every hold: they have looked. */
export async function releaseHolds(deps: Pick<Deps, 'db' | 'now'>): Promise<void> {
  await deps.db.run(sql`update complaint_holds set released_at = ${deps.now()} where released_at is null`);
}
