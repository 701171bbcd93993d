import { pruneSessions } from './admin/sessions';
import type { Deps } from './deps';
import { pruneRateLimits } from './rate-limit';
import { scrubErasedDeliveries } from './subscribers/erasure';
import { pruneTransactionalMail } from './transactional/queries';
import { pruneReceipts } from './webhooks/receipts';

/**
 * The housekeeping job, on both runtimes every half hour (Node: src/node/schedules.ts; Workers:
 * the half-hourly Cron Trigger, src/worker/scheduled.ts): forgets abuse-limit windows that have
 * ended, desk sessions that expired, webhook receipts older than the replay window and transactional emails sent long ago,
 * so no table grows for ever, and clears the copies of erased readers' addresses left on
 * deliveries that were still in flight when they were erased.
 */
export async function housekeepingJob(deps: Pick<Deps, 'db' | 'now'>): Promise<void> {
  const now = deps.now();
  await pruneRateLimits(deps.db, now);
  await pruneReceipts(deps.db, now);
  await pruneTransactionalMail(deps.db, now);
  await scrubErasedDeliveries(deps.db);
  await pruneSessions(deps.db, now);
}
