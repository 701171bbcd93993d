import { recordRefresh } from '../admin/articles/refresh-status';
import { refreshFeed } from '../articles/refresh-feed';
import type { Deps } from '../deps';
import { buildWeeklyDigest, type WeeklyDigestResult } from './weekly';

/**
 * The scheduled jobs both runtimes run: Node from src/node/schedules.ts (croner), Workers from Cron
 * Triggers (src/worker/scheduled.ts).
 */

/** How often the feed is read: Node's schedule and the Cron Trigger in wrangler.toml. */
export const FEED_REFRESH_CRON = '*/30 * * * *';

type JobDeps = Pick<Deps, 'db' | 'config' | 'fetch' | 'now' | 'logger' | 'jobs'>;

/** The half-hourly job: reads FEED_URL into the articles table (a broken feed is logged, never thrown). */
export async function feedRefreshJob(deps: JobDeps): Promise<void> {
  if (!deps.config.feedUrl) return;
  const report = await refreshFeed({ db: deps.db, feedUrl: deps.config.feedUrl, fetch: deps.fetch, now: deps.now, logger: deps.logger });
  // The desk's articles page shows when the feed was last read and what went wrong.
  await recordRefresh(deps.db, report, deps.now());
  if (!report.ok) deps.logger.warn('feed refresh failed', { error: report.error });
}

/** The weekly job: refresh the feed first, so the digest has what was published up to the minute. */
export async function weeklyDigestJob(deps: JobDeps): Promise<WeeklyDigestResult> {
  await feedRefreshJob(deps);
  const result = await buildWeeklyDigest(deps);
  deps.logger.info('weekly digest', result.created ? { campaignId: result.campaign.id, status: result.campaign.status } : { reason: result.reason });
  return result;
}
