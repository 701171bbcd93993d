import { eq, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { webhookPending } from '../db/schema';
import { applyToDelivery, type ApplyDeps } from './apply-delivery';
import { eventTime, resendEvent, type ResendEvent } from './events';

/** An event whose message id never shows up (a batch that failed, another instance's mail) is dropped after this. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/** Keeps an event about a campaign email whose message id the ledger does not have yet. */
export async function storePending(db: Database, e: ResendEvent, campaignId: number, deliveryId: number | null, now: number): Promise<void> {
  await db.insert(webhookPending).values({
    providerId: e.data.email_id,
    deliveryId,
    campaignId,
    type: e.type,
    payload: e as unknown as Record<string, unknown>,
    receivedAt: now,
  });
}

/**
 * Applies waiting events whose delivery now has its message id (the send loop stored it after
 * the batch was accepted). Run after each webhook and before stats are read, so an event is
 * late by at most the time until the next one. Oldest first, in pages, so a backlog never makes
 * one request slow. Returns how many were applied.
 *
 * Two sweeps running at once may both apply an event; that is harmless, because applying an
 * event twice changes nothing (see deliveryUpdate and stopMail).
 */
export async function applyPendingEvents(deps: ApplyDeps, limit = 200): Promise<number> {
  // The same match as findDelivery: by the tag's delivery and its message id, or for an email
  // sent without the tag by the message id alone (the partial deliveries_provider_idx).
  const rows = await deps.db.all<{ id: number; payload: string; delivery_id: number; campaign_id: number; subscriber_id: number | null }>(sql`
    select * from (
      select p.id, p.payload, d.id as delivery_id, d.campaign_id, d.subscriber_id
      from webhook_pending p join deliveries d on d.id = p.delivery_id and d.provider_id = p.provider_id
      union all
      select p.id, p.payload, d.id as delivery_id, d.campaign_id, d.subscriber_id
      from webhook_pending p join deliveries d on d.provider_id = p.provider_id and d.tagged is null
      where p.delivery_id is null)
    order by id
    limit ${limit}`);
  const now = deps.now();
  for (const row of rows) {
    const parsed = resendEvent.safeParse(JSON.parse(row.payload));
    if (parsed.success) {
      const delivery = { id: row.delivery_id, campaignId: row.campaign_id, subscriberId: row.subscriber_id };
      await applyToDelivery(deps, delivery, parsed.data, eventTime(parsed.data, now));
    }
    await deps.db.delete(webhookPending).where(eq(webhookPending.id, row.id));
  }
  await deps.db.delete(webhookPending).where(lt(webhookPending.receivedAt, now - KEEP_MS));
  return rows.length;
}

/** How many events are still waiting for their message id, per campaign or in all. */
export async function pendingCount(db: Database, campaignId?: number): Promise<number> {
  const where = campaignId === undefined ? sql`` : sql`where campaign_id = ${campaignId}`;
  const [row] = await db.all<{ n: number }>(sql`select count(*) as n from webhook_pending ${where}`);
  return Number(row?.n ?? 0);
}
