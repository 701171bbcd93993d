import type { Database } from '../db/database';
import type { Logger } from '../deps';
import { dropWithdrawnFromDigests } from '../digests/withdrawn';
import { nextDigestStart } from '../digests/period';
import type { FeedFormat } from './feed-reader';
import { discoverFeedSource, type FeedSource } from './feed-source';
import { loadFeedSource, saveFeedSource } from './feed-source-state';
import { loadFeedValidators, saveFeedValidators } from './feed-state';
import { fetchFeed, FEED_TIMEOUT_MS, type FetchFeedResult } from './fetch-feed';
import type { FeedArticle, SkippedItem } from './normalise';
import { upsertArticles } from './queries';
import { findWithdrawn } from './find-withdrawn';

export interface RefreshFeedOptions {
  db: Database;
  feedUrl: string;
  fetch?: typeof globalThis.fetch;
  now: () => number;
  logger: Logger;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Pages followed per refresh (WordPress lists 10 posts a page): enough for weeks of a busy site. */
export const MAX_FEED_PAGES = 10;

export type RefreshReport =
  | {
      ok: true;
      feedUrl: string;
      /** What was read: FEED_URL itself, or the site's REST API with _embed when it offers one. */
      readUrl: string;
      /** The site answered 304 (or sent the same feed again): nothing was stored. */
      notModified: boolean;
      /** Absent when not modified. */
      format?: FeedFormat;
      /** Pages read (Link rel="next"), back to the previous digest. */
      pages: number;
      /** Items in the feed that were read. */
      found: number;
      added: number;
      updated: number;
      unchanged: number;
      /** Articles the site no longer publishes, marked withdrawn by this refresh. */
      withdrawn: { id: number; title: string; reason: string }[];
      skipped: SkippedItem[];
    }
  | { ok: false; feedUrl: string; error: string };

type Fetched = Extract<FetchFeedResult, { ok: true }>;

/**
 * Fetches the site's feed and stores its articles. Anything wrong with the feed ends up in the
 * report (and the log), never in an exception, so a broken feed cannot stop a schedule or a
 * send; only a failing database throws.
 */
export async function refreshFeed(options: RefreshFeedOptions): Promise<RefreshReport> {
  const { db, feedUrl, logger } = options;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now();
  const source = await sourceFor(options, fetchImpl, now);

  let readUrl = source.url;
  let first = await fetchPage(options, fetchImpl, readUrl, true);
  if (!first.ok && source.fallbackUrl && source.fallbackUrl !== readUrl) {
    // The REST API refused (a security plugin, a login wall): read the feed instead, and look again tomorrow.
    logger.warn('REST API unavailable, reading the feed instead', { readUrl, error: first.error });
    readUrl = source.fallbackUrl;
    await saveFeedSource(db, feedUrl, { url: readUrl, via: 'as-given' }, now);
    first = await fetchPage(options, fetchImpl, readUrl, true);
  }
  if (!first.ok) {
    logger.warn('feed refresh failed', { feedUrl, error: first.error });
    return { ok: false, feedUrl, error: first.error };
  }
  const base = { ok: true as const, feedUrl, readUrl, withdrawn: [] };
  if (first.notModified) {
    logger.info('feed not modified', { feedUrl, readUrl });
    return { ...base, notModified: true, pages: 1, found: 0, added: 0, updated: 0, unchanged: 0, skipped: [] };
  }

  const pages = await followPages(options, fetchImpl, first, await nextDigestStart(db, now));
  const articles = uniqueByGuid(pages.flatMap((p) => p.articles));
  const skipped = pages.flatMap((p) => p.skipped);
  const counts = await upsertArticles(db, articles, now);

  const withdrawn = await findWithdrawn(db, articles, { fetch: fetchImpl, now, siteUrls: [feedUrl, readUrl] });
  if (withdrawn.length) {
    const drafts = await dropWithdrawnFromDigests(db, now);
    logger.warn('articles withdrawn by the site', { feedUrl, articles: withdrawn.map((a) => a.id), drafts: drafts.map((c) => c.id) });
  }
  // Only once the articles are stored: a failed write must not make the next refresh a 304.
  await saveFeedValidators(db, readUrl, first.validators);
  const report = {
    ...base,
    notModified: false,
    format: first.format,
    pages: pages.length,
    found: articles.length,
    ...counts,
    withdrawn: withdrawn.map((a) => ({ id: a.id, title: a.title, reason: a.withdrawnReason ?? '' })),
    skipped,
  };
  logger.info('feed refreshed', { ...report, withdrawn: withdrawn.length, skipped: skipped.length });
  if (skipped.length) logger.warn('feed items skipped', { feedUrl, skipped });
  return report;
}

async function sourceFor(options: RefreshFeedOptions, fetchImpl: typeof fetch, now: number): Promise<FeedSource> {
  const known = await loadFeedSource(options.db, options.feedUrl, now);
  if (known) return known;
  const found = await discoverFeedSource(options.feedUrl, fetchImpl, options.timeoutMs ?? FEED_TIMEOUT_MS);
  if (found.url !== options.feedUrl) options.logger.info('feed address discovered', { feedUrl: options.feedUrl, readUrl: found.url });
  await saveFeedSource(options.db, options.feedUrl, found, now);
  return found;
}

async function fetchPage(options: RefreshFeedOptions, fetchImpl: typeof fetch, url: string, conditional: boolean) {
  return fetchFeed(url, {
    fetch: fetchImpl,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
    validators: conditional ? await loadFeedValidators(options.db, url) : undefined,
  });
}

/**
 * Follows Link rel="next" while the pages still hold articles newer than the start of the next
 * digest (so the first refresh, and the one after an outage, reads everything the digest needs),
 * at most MAX_FEED_PAGES pages. A page that fails ends the walk with what was read.
 */
async function followPages(options: RefreshFeedOptions, fetchImpl: typeof fetch, first: Fetched & { notModified: false }, backTo: number) {
  const pages = [first];
  let page = first;
  const seen = new Set([options.feedUrl, first.nextUrl]);
  while (page.nextUrl && pages.length < MAX_FEED_PAGES && oldest(page.articles) > backTo) {
    const next = await fetchPage(options, fetchImpl, page.nextUrl, false);
    if (!next.ok || next.notModified) {
      if (!next.ok) options.logger.warn('feed page failed', { url: page.nextUrl, error: next.error });
      break;
    }
    pages.push(next);
    if (!next.nextUrl || seen.has(next.nextUrl)) break;
    seen.add(next.nextUrl);
    page = next;
  }
  return pages;
}

/** The oldest date on a page; an undated page counts as new (dates come from the first sight). */
function oldest(articles: FeedArticle[]): number {
  const dates = articles.map((a) => a.publishedAt ?? Infinity);
  return dates.length ? Math.min(...dates) : -Infinity;
}

/** A post that moved between pages while they were read appears twice: the first sighting wins. */
function uniqueByGuid(list: FeedArticle[]): FeedArticle[] {
  const byGuid = new Map<string, FeedArticle>();
  for (const a of list) if (!byGuid.has(a.guid)) byGuid.set(a.guid, a);
  return [...byGuid.values()];
}
