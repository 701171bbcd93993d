import { FEED_REFRESH_CRON, feedRefreshJob, weeklyDigestJob } from '../digests/jobs';
import { housekeepingJob } from '../housekeeping';
import { finishCampaigns } from '../sending/chunk-queries';
import { requeueOverdue } from '../sending/queue-jobs';
import { startDueCampaigns } from '../sending/start-due';
import { deliverDueMail } from '../transactional/deliver';
import type { WorkerContext } from './context';

/** The Cron Trigger for sending housekeeping (the others: DIGEST_SCHEDULE and FEED_REFRESH_CRON). */
export const SENDING_CRON = '* * * * *';

interface CronJob {
  cron: string;
  name: string;
  run: (context: WorkerContext) => Promise<unknown>;
}

/**
 * What each Cron Trigger runs, told apart by its expression. `[triggers] crons` in wrangler.toml
 * must list exactly these expressions (test/worker/crons.test.ts reads it):
 * - DIGEST_SCHEDULE (`0 7 * * 1` unless set): refresh the feed, then build this week's digest
 *   (and, with DIGEST_MODE=auto, start sending it);
 * - every 30 minutes: refresh the feed; housekeeping;
 * - every minute: the sending housekeeping that Node's send loop does on each tick: send
 *   transactional emails whose request's own attempt did not finish (the isolate was evicted, the
 *   provider was down), start scheduled campaigns that are due, close finished ones, and queue
 *   again chunks whose job was lost.
 */
export const cronJobs = (digestSchedule: string): CronJob[] => [
  { cron: digestSchedule, name: 'weekly digest', run: ({ deps }) => weeklyDigestJob(deps) },
  { cron: FEED_REFRESH_CRON, name: 'feed refresh', run: ({ deps }) => feedRefreshJob(deps) },
  { cron: FEED_REFRESH_CRON, name: 'housekeeping', run: ({ deps }) => housekeepingJob(deps) },
  {
    cron: SENDING_CRON,
    name: 'sending',
    run: async ({ deps, queue }) => {
      await deliverDueMail(deps);
      await startDueCampaigns(deps);
      await finishCampaigns(deps.db, deps.now());
      await requeueOverdue({ db: deps.db, queue, logger: deps.logger, now: deps.now(), sendRate: deps.config.sendRate });
    },
  },
];

/**
 * One Cron Trigger firing: every job of its expression runs, one after the other, each even if an
 * earlier one failed. Errors are thrown (the first one), so the dashboard shows the run as failed.
 */
export async function runScheduled(context: WorkerContext, cron: string): Promise<void> {
  const { deps } = context;
  const all = cronJobs(deps.config.digestSchedule);
  const jobs = all.filter((j) => j.cron === cron);
  if (jobs.length === 0) {
    deps.logger.error('unknown cron trigger', {
      cron,
      expected: [...new Set(all.map((j) => j.cron))],
      hint: 'the weekly digest trigger in wrangler.toml must equal DIGEST_SCHEDULE',
    });
    return;
  }
  const failures: unknown[] = [];
  for (const job of jobs) {
    try {
      await job.run(context);
    } catch (err) {
      deps.logger.error(`${job.name} failed`, { cron, error: String((err as Error)?.stack ?? err) });
      failures.push(err);
    }
  }
  if (failures.length) throw failures[0];
}
