import { eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { deliveries } from '../db/schema';
import { applyToDelivery, type ApplyDeps, type MatchedDelivery } from './apply-delivery';
import { campaignTag, eventTime, type ResendEvent } from './events';
import { storePending } from './pending';
import { stopMail, stopReason } from './stop-mail';

/** applied: on its delivery; pending: kept until the message id is stored; unmatched: not a ledger email. */
export type ApplyOutcome = 'applied' | 'pending' | 'unmatched';

// deliveries_provider_idx.
const findDelivery = (db: Database, providerId: string): Promise<MatchedDelivery | undefined> =>
  db
    .select({ id: deliveries.id, campaignId: deliveries.campaignId, subscriberId: deliveries.subscriberId })
    .from(deliveries)
    .where(eq(deliveries.providerId, providerId))
    .get();

/**
 * Applies one verified, new Resend event.
 *
 * The delivery is found by Resend's message id. When there is none yet, the event is about a
 * campaign email whose batch was accepted a moment ago but whose ids the send loop has not
 * stored: it is kept in webhook_pending and applied when the id appears (applyPendingEvents).
 * Stopping mail to a reader never waits for that: a permanent bounce or complaint is applied to
 * the reader at once, found by address, and the same goes for transactional emails
 * (confirmations, welcome), which have no delivery at all.
 */
export async function applyEvent(deps: ApplyDeps, e: ResendEvent): Promise<ApplyOutcome> {
  const now = deps.now();
  const delivery = await findDelivery(deps.db, e.data.email_id);
  if (delivery) {
    await applyToDelivery(deps, delivery, e, eventTime(e, now));
    return 'applied';
  }
  const campaignId = campaignTag(e);
  const stop = stopReason(e);
  if (stop) await stopMail(deps, { to: e.data.to }, stop, campaignId, now);
  if (campaignId === null) return 'unmatched';
  await storePending(deps.db, e, campaignId, now);
  return 'pending';
}
