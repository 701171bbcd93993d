import type { Database } from '../db/database';
import type { Logger } from '../deps';
import type { FeedFormat } from './feed-reader';
import { loadFeedValidators, saveFeedValidators } from './feed-state';
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
      /** The site answered 304: nothing changed since the last refresh, nothing was read. */
      notModified: boolean;
      /** Absent when not modified. */
      format?: FeedFormat;
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
    validators: await loadFeedValidators(db, feedUrl),
  });
  if (!result.ok) {
    logger.warn('feed refresh failed', { feedUrl, error: result.error });
    return { ok: false, feedUrl, error: result.error };
  }
  if (result.notModified) {
    logger.info('feed not modified', { feedUrl });
    return { ok: true, feedUrl, notModified: true, found: 0, added: 0, updated: 0, unchanged: 0, skipped: [] };
  }
  const counts = await upsertArticles(db, result.articles, options.now());
  // Only once the articles are stored: a failed write must not make the next refresh a 304.
  await saveFeedValidators(db, feedUrl, result.validators);
  const report = {
    ok: true as const,
    feedUrl,
    notModified: false,
    format: result.format,
    found: result.articles.length,
    ...counts,
    skipped: result.skipped,
  };
  logger.info('feed refreshed', { ...report, skipped: result.skipped.length });
  if (result.skipped.length) logger.warn('feed items skipped', { feedUrl, skipped: result.skipped });
  return report;
}
