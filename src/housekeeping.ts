import type { Deps } from './deps';
import { pruneRateLimits } from './rate-limit';
import { pruneReceipts } from './webhooks/receipts';

/**
 * The housekeeping job, on both runtimes every half hour (Node: src/node/schedules.ts; Workers:
 * the half-hourly Cron Trigger, src/worker/scheduled.ts): forgets abuse-limit windows that have
 * ended and webhook receipts older than the replay window, so neither table grows for ever.
 */
export async function housekeepingJob(deps: Pick<Deps, 'db' | 'now'>): Promise<void> {
  const now = deps.now();
  await pruneRateLimits(deps.db, now);
  await pruneReceipts(deps.db, now);
}
