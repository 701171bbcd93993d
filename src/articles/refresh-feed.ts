import type { Database } from '../db/database';
import type { Logger } from '../deps';
import type { FeedFormat } from './feed-reader';
import { fetchFeed } from './fetch-feed';
import type { SkippedItem } from './normalise';
import { upsertArticles } from './queries';

export interface RefreshFeedOptions {
  db: Database;
  feedUrl: string;
  fetch?: typeof globalThis.fetch;
  now: () => number;
  logger: Logger;
  timeoutMs?: number;
  maxBytes?: number;
}

export type RefreshReport =
  | {
      ok: true;
      feedUrl: string;
      format: FeedFormat;
      /** Items in the feed that were read. */
      found: number;
      added: number;
      updated: number;
      unchanged: number;
      skipped: SkippedItem[];
    }
  | { ok: false; feedUrl: string; error: string };

/**
 * Fetches the site's feed and stores its articles. Anything wrong with the feed ends up in the
 * report (and the log), never in an exception, so a broken feed cannot stop a schedule or a
 * send; only a failing database throws.
 */
export async function refreshFeed(options: RefreshFeedOptions): Promise<RefreshReport> {
  const { db, feedUrl, logger } = options;
  const result = await fetchFeed(feedUrl, {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
  });
  if (!result.ok) {
    logger.warn('feed refresh failed', { feedUrl, error: result.error });
    return { ok: false, feedUrl, error: result.error };
  }
  const counts = await upsertArticles(db, result.articles, options.now());
  const report = {
    ok: true as const,
    feedUrl,
    format: result.format,
    found: result.articles.length,
    ...counts,
    skipped: result.skipped,
  };
  logger.info('feed refreshed', { ...report, skipped: result.skipped.length });
  if (result.skipped.length) logger.warn('feed items skipped', { feedUrl, skipped: result.skipped });
  return report;
}
