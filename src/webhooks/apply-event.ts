import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { normaliseEmail } from '../subscribers/email-address';
import { findSubscriberByEmail } from '../subscribers/queries';
import { applyToDelivery, type ApplyDeps, type MatchedDelivery } from './apply-delivery';
import { campaignTag, deliveryTag, eventTime, type ResendEvent } from './events';
import { storePending } from './pending';
import { stopMail, stopReason } from './stop-mail';

/** applied: on its delivery; pending: kept until the message id is stored; unmatched: not a ledger email. */
export type ApplyOutcome = 'applied' | 'pending' | 'unmatched';

type DeliveryRow = { id: number; campaign_id: number; subscriber_id: number | null };
const matched = (row: DeliveryRow | undefined): MatchedDelivery | undefined =>
  row ? { id: row.id, campaignId: row.campaign_id, subscriberId: row.subscriber_id } : undefined;

/**
 * The delivery an event is about, once the send loop has stored its message id. An email with
 * the delivery's tag is found by that id (the primary key), and only if the stored message id is
 * this event's: an id another install (staging, a copy) also has is not taken for this one. An
 * email sent before the tag (`tagged` null) is found by its message id, in the partial
 * deliveries_provider_idx that holds just those. An event without any tags (the spec does not
 * promise them) may still be about a tagged email: its reader is found by address and their
 * deliveries searched for the message id (deliveries_subscriber_idx).
 */
export async function findDelivery(db: Database, e: ResendEvent): Promise<MatchedDelivery | undefined> {
  const providerId = e.data.email_id;
  const deliveryId = deliveryTag(e);
  if (deliveryId !== null) {
    const [row] = await db.all<DeliveryRow>(sql`
      select id, campaign_id, subscriber_id from deliveries where id = ${deliveryId} and provider_id = ${providerId}`);
    return matched(row);
  }
  const [row] = await db.all<DeliveryRow>(sql`
    select id, campaign_id, subscriber_id from deliveries where provider_id = ${providerId} and tagged is null`);
  if (row || e.data.tags !== undefined) return matched(row);
  for (const raw of e.data.to) {
    const email = normaliseEmail(/<([^>]+)>/.exec(raw)?.[1] ?? raw);
    const reader = email ? await findSubscriberByEmail(db, email) : undefined;
    if (!reader) continue;
    const [theirs] = await db.all<DeliveryRow>(sql`
      select id, campaign_id, subscriber_id from deliveries where subscriber_id = ${reader.id} and provider_id = ${providerId}`);
    if (theirs) return matched(theirs);
  }
  return undefined;
}

/**
 * Applies one verified, new Resend event.
 *
 * The delivery is found by its tag or Resend's message id (findDelivery). When its message id is
 * not stored yet, the event is about a campaign email whose batch was accepted a moment ago but
 * whose ids the send loop has not stored: it is kept in webhook_pending and applied when the id
 * appears (applyPendingEvents).
 * Stopping mail to a reader never waits for that: a permanent bounce or complaint is applied to
 * the reader at once, found by address, and the same goes for transactional emails
 * (confirmations, welcome), which have no delivery at all.
 */
export async function applyEvent(deps: ApplyDeps, e: ResendEvent): Promise<ApplyOutcome> {
  const now = deps.now();
  const delivery = await findDelivery(deps.db, e);
  if (delivery) {
    await applyToDelivery(deps, delivery, e, eventTime(e, now));
    return 'applied';
  }
  const campaignId = campaignTag(e);
  const stop = stopReason(e);
  if (stop) await stopMail(deps, { to: e.data.to }, stop, campaignId, now);
  if (campaignId === null) return 'unmatched';
  await storePending(deps.db, e, campaignId, deliveryTag(e), now);
  return 'pending';
}
