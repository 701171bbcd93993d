import { and, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { Database } from '../db/database';
import { articles, campaigns, type Article } from '../db/schema';
import type { FeedArticle } from './normalise';
import { checkPermalinks, type PermalinkCheckOptions } from './withdrawn';

/**
 * After a refresh: which stored articles has the site stopped publishing? Asked of their
 * permalinks (see checkPermalinks), for two kinds of article missing from what was just read:
 * those dated inside the span the feed covered (a feed lists posts newest first, so a post
 * missing from that span was taken down), and those an unsent digest quotes. An article the feed
 * still lists is published, and is never asked about.
 */
export async function findWithdrawn(db: Database, read: FeedArticle[], options: PermalinkCheckOptions): Promise<Article[]> {
  const listed = new Set(read.flatMap((a) => [a.guid, a.url]));
  const dates = read.map((a) => a.publishedAt).filter((d): d is number => d !== null);
  const candidates = new Map<number, Article>();
  const fromFeed = and(eq(articles.source, 'feed'), isNull(articles.withdrawnAt));

  if (dates.length) {
    const inSpan = await db
      .select()
      .from(articles)
      .where(and(fromFeed, gte(articles.publishedAt, Math.min(...dates)), lte(articles.publishedAt, Math.max(...dates))))
      .limit(200)
      .all();
    for (const a of inSpan) if (!listed.has(a.guid) && !listed.has(a.url)) candidates.set(a.id, a);
  }

  const drafts = await db
    .select({ content: campaigns.content })
    .from(campaigns)
    .where(and(eq(campaigns.kind, 'digest'), inArray(campaigns.status, ['draft', 'scheduled'])))
    .all();
  const quoted = [...new Set(drafts.flatMap((d) => (d.content.kind === 'digest' ? d.content.articleIds : [])))].slice(0, 90);
  if (quoted.length) {
    const rows = await db.select().from(articles).where(and(fromFeed, inArray(articles.id, quoted))).all();
    for (const a of rows) if (!listed.has(a.guid) && !listed.has(a.url)) candidates.set(a.id, a);
  }
  return checkPermalinks(db, [...candidates.values()], options);
}
