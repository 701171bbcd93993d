import { Cron } from 'croner';
import type { Deps } from '../deps';
import { FEED_REFRESH_CRON, feedRefreshJob, weeklyDigestJob } from '../digests/jobs';
import { housekeepingJob } from '../housekeeping';

/**
 * The in-process schedules of the Node runtime: the weekly digest (DIGEST_SCHEDULE, UTC) and the
 * feed refresh and housekeeping, half-hourly. Each job logs its failures and never throws into the timer; `protect` keeps a
 * slow run from overlapping the next.
 */
export function startSchedules(deps: Deps) {
  const guard = (name: string, job: () => Promise<unknown>) => async () => {
    try {
      await job();
    } catch (err) {
      deps.logger.error(`${name} failed`, { error: String((err as Error)?.stack ?? err) });
    }
  };
  const jobs = [
    new Cron(deps.config.digestSchedule, { timezone: 'UTC', protect: true }, guard('weekly digest', () => weeklyDigestJob(deps))),
    new Cron(FEED_REFRESH_CRON, { timezone: 'UTC', protect: true }, guard('feed refresh', () => feedRefreshJob(deps))),
    new Cron(FEED_REFRESH_CRON, { timezone: 'UTC', protect: true }, guard('housekeeping', () => housekeepingJob(deps))),
  ];
  return {
    /** When each job runs next: the weekly digest, the feed refresh, housekeeping. */
    next: () => jobs.map((j) => j.nextRun()),
    stop: () => jobs.forEach((j) => j.stop()),
  };
}
