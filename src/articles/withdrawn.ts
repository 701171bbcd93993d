import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/database';
import { articles, type Article } from '../db/schema';

/** At most this many permalinks are asked per refresh or send, so a long list cannot stall either. */
export const PERMALINK_CHECK_LIMIT = 30;
const PERMALINK_TIMEOUT_MS = 5_000;

export interface PermalinkCheckOptions {
  fetch: typeof globalThis.fetch;
  now: number;
  timeoutMs?: number;
  /**
   * The site's own addresses (FEED_URL and what was read): only permalinks there are asked, so a
   * feed can never make Broadside send requests to other hosts (an internal address, say).
   */
  siteUrls: string[];
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
};

/**
 * Asks each article's own page whether the site still publishes it. A page answering 404 or 410
 * (WordPress's answer for a post in the trash, made private or deleted) marks the article
 * withdrawn; anything else, including a site that cannot be reached, leaves it as it is.
 * Returns the articles withdrawn now.
 */
export async function checkPermalinks(db: Database, list: Article[], options: PermalinkCheckOptions): Promise<Article[]> {
  const hosts = new Set(options.siteUrls.map(hostOf));
  const asked = list.filter((a) => a.withdrawnAt === null && hosts.has(hostOf(a.url))).slice(0, PERMALINK_CHECK_LIMIT);
  // Asked together, each with its own timeout: a slow site delays a refresh or a send by
  // seconds, not by seconds per article.
  const statuses = await Promise.all(asked.map((a) => permalinkStatus(a.url, options)));
  const withdrawn: Article[] = [];
  for (const [i, article] of asked.entries()) {
    const status = statuses[i];
    if (status !== 404 && status !== 410) continue;
    const reason = `its page answers HTTP ${status}: the site no longer publishes it`;
    await markWithdrawn(db, article.id, reason, options.now);
    withdrawn.push({ ...article, withdrawnAt: options.now, withdrawnReason: reason });
  }
  return withdrawn;
}

async function permalinkStatus(url: string, options: PermalinkCheckOptions): Promise<number | null> {
  const ask = async (method: 'HEAD' | 'GET') => {
    const response = await options.fetch(url, {
      method,
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs ?? PERMALINK_TIMEOUT_MS),
      headers: { 'user-agent': 'Broadside feed reader' },
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  };
  try {
    const status = await ask('HEAD');
    // Some servers refuse HEAD; the page itself then decides.
    return status === 405 || status === 501 ? await ask('GET') : status;
  } catch {
    return null;
  }
}

export async function markWithdrawn(db: Database, id: number, reason: string, now: number): Promise<void> {
  await db
    .update(articles)
    .set({ withdrawnAt: now, withdrawnReason: reason, updatedAt: now })
    .where(and(eq(articles.id, id), isNull(articles.withdrawnAt)));
}

/** The withdrawn articles among `ids`. */
export async function withdrawnAmong(db: Database, ids: number[]): Promise<Article[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(articles).where(inArray(articles.id, [...new Set(ids)].slice(0, 90))).all();
  return rows.filter((a) => a.withdrawnAt !== null);
}
