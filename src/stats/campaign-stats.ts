import { eq, sql } from 'drizzle-orm';
import type { Campaign } from '../db/schema';
import { campaignTracking, complaintHolds } from '../db/schema';
import type { Deps } from '../deps';
import { TRANSIENT_BOUNCE } from '../webhooks/delivery-updates';
import { applyPendingEvents, pendingCount } from '../webhooks/pending';
import { isoOrNull } from '../timing';

type StatsDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger'>;

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

interface LedgerRow {
  audience: number;
  queued: number | null;
  sent: number | null;
  failed: number | null;
  skipped: number | null;
  delivered: number | null;
  bounced: number | null;
  soft_bounced: number | null;
  delayed: number | null;
  complained: number | null;
  opened: number | null;
  clicked: number | null;
}

/**
 * What a send did, for GET /admin/api/campaigns/:id/stats. Waiting webhook events are applied
 * first, so the numbers include everything Resend has said.
 *
 * Rates are over delivered emails once delivery events arrive, else over sent ones (no webhook
 * configured, or the outbox mailer); `rates.base` says which. The delivered rate itself is over
 * sent. Unique clicks count readers, total clicks count every click; clicks from the archive
 * page (no reader) are counted per link as `anonymous`, and in neither of the two.
 */
export async function campaignStats(deps: StatsDeps, campaign: Campaign) {
  await applyPendingEvents(deps);
  const id = campaign.id;
  // One pass over the campaign's ledger rows (deliveries_campaign_chunk_idx).
  const [ledger] = await deps.db.all<LedgerRow>(sql`
    select count(*) as audience,
      sum(status = 'queued') as queued, sum(sent_at is not null) as sent,
      sum(status = 'failed') as failed, sum(status = 'skipped') as skipped,
      sum(delivered_at is not null) as delivered, sum(bounced_at is not null) as bounced,
      sum(last_event = ${TRANSIENT_BOUNCE} and bounced_at is null and delivered_at is null) as soft_bounced,
      sum(last_event = 'email.delivery_delayed' and delivered_at is null) as delayed,
      sum(complained_at is not null) as complained,
      sum(opened_at is not null) as opened, sum(clicked_at is not null) as clicked
    from deliveries where campaign_id = ${id}`);
  const n = (v: number | null | undefined) => Number(v ?? 0);

  const links = await deps.db.all<{ position: number; url: string; anonymous: number; unique_clicks: number; total: number | null }>(sql`
    select l.position, l.url, l.anonymous_clicks as anonymous, count(c.id) as unique_clicks, sum(c.clicks) as total
    from campaign_links l left join link_clicks c on c.link_id = l.id
    where l.campaign_id = ${id}
    group by l.id order by l.position`);

  // Unsubscribes made with a link from this campaign's emails (the token carries the campaign).
  // Starting from the campaign's readers lets SQLite use subscriber_events_subscriber_idx
  // instead of reading every event of every reader.
  const [unsub] = await deps.db.all<{ n: number }>(sql`
    select count(distinct e.subscriber_id) as n from subscriber_events e
    where e.subscriber_id in (select subscriber_id from deliveries where campaign_id = ${id})
      and e.type = 'unsubscribed' and json_extract(e.detail, '$.campaignId') = ${id}`);

  const tracking = await deps.db.select().from(campaignTracking).where(eq(campaignTracking.campaignId, id)).get();
  const hold = await deps.db.select().from(complaintHolds).where(eq(complaintHolds.campaignId, id)).get();

  // Accepted by the provider (sent_at is set when a batch is accepted), including messages
  // Resend later failed or suppressed.
  const sent = n(ledger?.sent);
  const delivered = n(ledger?.delivered);
  const base = delivered > 0 ? delivered : sent;
  const opened = tracking?.opens || n(ledger?.opened) > 0 ? n(ledger?.opened) : null;
  const clicked = n(ledger?.clicked);
  const unsubscribes = n(unsub?.n);
  const linkStats = links.map((l) => ({ position: l.position, url: l.url, unique: n(l.unique_clicks), total: n(l.total), anonymous: n(l.anonymous) }));

  return {
    campaign: {
      id,
      kind: campaign.kind,
      status: campaign.status,
      statusReason: campaign.statusReason,
      subject: campaign.subject,
      startedAt: isoOrNull(campaign.startedAt),
      finishedAt: isoOrNull(campaign.finishedAt),
    },
    audience: campaign.audienceCount ?? n(ledger?.audience),
    queued: n(ledger?.queued),
    sent,
    failed: n(ledger?.failed),
    skipped: n(ledger?.skipped),
    delivered,
    bounced: n(ledger?.bounced),
    softBounced: n(ledger?.soft_bounced),
    delayed: n(ledger?.delayed),
    complained: n(ledger?.complained),
    opened,
    clicked,
    clicks: {
      tracked: tracking?.clicks ?? false,
      unique: linkStats.reduce((s, l) => s + l.unique, 0),
      total: linkStats.reduce((s, l) => s + l.total, 0),
      links: linkStats,
    },
    unsubscribes,
    rates: {
      base: delivered > 0 ? ('delivered' as const) : ('sent' as const),
      delivered: delivered > 0 ? ratio(delivered, sent) : null,
      bounced: ratio(n(ledger?.bounced), sent),
      complained: ratio(n(ledger?.complained), base),
      opened: opened === null ? null : ratio(opened, base),
      clicked: ratio(clicked, base),
      unsubscribed: ratio(unsubscribes, base),
    },
    pendingEvents: await pendingCount(deps.db, id),
    complaintHold: hold ? { complaints: hold.complaints, base: hold.base, threshold: hold.threshold, heldAt: isoOrNull(hold.heldAt) } : null,
  };
}
