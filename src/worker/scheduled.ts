import { FEED_REFRESH_CRON, feedRefreshJob, weeklyDigestJob } from '../digests/jobs';
import { finishCampaigns } from '../sending/chunk-queries';
import { requeueOverdue } from '../sending/queue-jobs';
import { startDueCampaigns } from '../sending/send-loop';
import { deliverDueMail } from '../transactional/deliver';
import type { WorkerContext } from './context';

/** The Cron Trigger for sending housekeeping (the others: DIGEST_SCHEDULE and FEED_REFRESH_CRON). */
export const SENDING_CRON = '* * * * *';

/**
 * One Cron Trigger firing, told apart by its expression:
 * - DIGEST_SCHEDULE (`0 7 * * 1` unless set): refresh the feed, then build this week's digest
 *   (and, with DIGEST_MODE=auto, start sending it);
 * - every 30 minutes: refresh the feed;
 * - every minute: the sending housekeeping that Node's send loop does on each tick: send
 *   transactional emails whose request's own attempt did not finish (the isolate was evicted, the
 *   provider was down), start scheduled campaigns that are due, close finished ones, and queue
 *   again chunks whose job was lost.
 * Errors are thrown, so the dashboard shows the run as failed.
 */
export async function runScheduled(context: WorkerContext, cron: string): Promise<void> {
  const { deps } = context;
  if (cron === deps.config.digestSchedule) {
    await weeklyDigestJob(deps);
  } else if (cron === FEED_REFRESH_CRON) {
    await feedRefreshJob(deps);
  } else if (cron === SENDING_CRON) {
    await deliverDueMail(deps);
    await startDueCampaigns(deps);
    await finishCampaigns(deps.db, deps.now());
    await requeueOverdue({ db: deps.db, queue: context.queue, logger: deps.logger, now: deps.now(), sendRate: deps.config.sendRate });
  } else {
    deps.logger.error('unknown cron trigger', {
      cron,
      expected: [deps.config.digestSchedule, FEED_REFRESH_CRON, SENDING_CRON],
      hint: 'the weekly digest trigger in wrangler.toml must equal DIGEST_SCHEDULE',
    });
  }
}
