import type { Deps } from '../deps';
import { checkComplaintGuard } from '../campaigns/complaint-guard';
import { deliveryUpdate } from './delivery-updates';
import type { ResendEvent } from './events';
import { stopMail, stopReason } from './stop-mail';

export type ApplyDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger'>;

export interface MatchedDelivery {
  id: number;
  campaignId: number;
  /** Null when the reader has been erased since. */
  subscriberId: number | null;
}

/**
 * Records a provider event on the delivery it is about and, for bounces and complaints, on the
 * reader; a complaint then asks the complaint guard. Safe to repeat with the same event.
 */
export async function applyToDelivery(deps: ApplyDeps, delivery: MatchedDelivery, e: ResendEvent, at: number): Promise<void> {
  await deliveryUpdate(deps.db, delivery.id, e, at);
  const stop = stopReason(e);
  if (stop && delivery.subscriberId !== null) {
    await stopMail(deps, { subscriberId: delivery.subscriberId }, stop, delivery.campaignId, deps.now());
  }
  if (e.type === 'email.complained') await checkComplaintGuard(deps, delivery.campaignId);
}
