import { Cron } from 'croner';
import { refreshFeed } from './articles/refresh-feed';
import type { Deps } from './deps';
import { buildWeeklyDigest } from './digests/weekly';

/** How often the feed is read on Node (Workers use a Cron Trigger in wrangler.toml). */
export const FEED_REFRESH_SCHEDULE = '*/30 * * * *';

/**
 * The in-process schedules of the Node runtime: the weekly digest (DIGEST_SCHEDULE, UTC) and the
 * feed refresh. The digest job refreshes the feed first, so a digest includes what was published
 * up to the minute. Each job logs its failures and never throws into the timer.
 */
export function startSchedules(deps: Deps) {
  const refresh = async () => {
    if (!deps.config.feedUrl) return;
    const report = await refreshFeed({ db: deps.db, feedUrl: deps.config.feedUrl, fetch: deps.fetch, now: deps.now, logger: deps.logger });
    if (!report.ok) deps.logger.warn('feed refresh failed', { error: report.error });
  };
  const guard = (name: string, job: () => Promise<void>) => async () => {
    try {
      await job();
    } catch (err) {
      deps.logger.error(`${name} failed`, { error: String((err as Error)?.stack ?? err) });
    }
  };
  const jobs = [
    new Cron(deps.config.digestSchedule, { timezone: 'UTC', protect: true }, guard('weekly digest', async () => {
      await refresh();
      const result = await buildWeeklyDigest(deps);
      deps.logger.info('weekly digest', result.created ? { campaignId: result.campaign.id, status: result.campaign.status } : { reason: result.reason });
    })),
    new Cron(FEED_REFRESH_SCHEDULE, { timezone: 'UTC', protect: true }, guard('feed refresh', refresh)),
  ];
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
