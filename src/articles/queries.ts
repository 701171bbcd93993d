import { and, count, desc, eq, gt, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Database } from '../db/database';
import { articles, type Article, type ArticleSource, type NewArticle } from '../db/schema';
import { AppError } from '../errors';
import type { FeedArticle } from './normalise';

export type { Article, NewArticle };

export interface UpsertCounts {
  added: number;
  updated: number;
  unchanged: number;
}

// D1 allows at most 100 bound parameters per statement: IN lists and batches are cut to size.
const LOOKUP_CHUNK = 45;
const BATCH_SIZE = 50;

/**
 * Stores a feed's articles: new ones are inserted, ones whose title, excerpt, image… changed on
 * the site are updated, the rest are left alone. An item is the same article as a row with its
 * guid, or else with its link (so a hand-added article is taken over by the feed, adopting the
 * feed's guid). An item without a date keeps the date the row already has, or gets `now`.
 * The writes go in db.batch, which both libSQL and D1 run as one transaction per batch.
 */
export async function upsertArticles(db: Database, items: FeedArticle[], now = Date.now(), source: ArticleSource = 'feed'): Promise<UpsertCounts> {
  const unique = [...new Map(items.map((a) => [a.guid, a])).values()];
  const existing = await findExisting(db, unique);
  const claimed = new Set<number>();
  const writes = [];
  const counts: UpsertCounts = { added: 0, updated: 0, unchanged: 0 };

  for (const item of unique) {
    let row = existing.byGuid.get(item.guid);
    if (!row) {
      const byUrl = existing.byUrl.get(item.url);
      if (byUrl && !claimed.has(byUrl.id)) row = byUrl;
    }
    if (!row) {
      const values = { ...columnsOf(item), publishedAt: item.publishedAt ?? now };
      // A refresh running at the same moment may have inserted it: then this is an update.
      writes.push(
        db
          .insert(articles)
          .values({ ...values, source, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({ target: articles.guid, set: { ...values, updatedAt: now } }),
      );
      counts.added++;
      continue;
    }
    claimed.add(row.id);
    const values = { ...columnsOf(item), publishedAt: item.publishedAt ?? row.publishedAt };
    if (sameContent(row, values)) {
      counts.unchanged++;
      continue;
    }
    writes.push(db.update(articles).set({ ...values, updatedAt: now }).where(eq(articles.id, row.id)));
    counts.updated++;
  }

  for (let i = 0; i < writes.length; i += BATCH_SIZE) {
    await db.batch(writes.slice(i, i + BATCH_SIZE));
  }
  return counts;
}

function columnsOf(a: FeedArticle) {
  return {
    guid: a.guid,
    url: a.url,
    title: a.title,
    author: a.author,
    excerpt: a.excerpt,
    imageUrl: a.imageUrl,
    imageAlt: a.imageAlt,
    imageWidth: a.imageWidth,
    imageHeight: a.imageHeight,
    imageSizes: a.imageSizes,
    categories: a.categories,
    updatedAtSource: a.updatedAtSource,
    // An article the site publishes again (restored from the trash) is no longer withdrawn.
    withdrawnAt: null,
    withdrawnReason: null,
  };
}

function sameContent(row: Article, values: ReturnType<typeof columnsOf> & { publishedAt: number }): boolean {
  return (Object.keys(values) as (keyof typeof values)[]).every((key) =>
    key === 'categories' || key === 'imageSizes'
      ? JSON.stringify(row[key]) === JSON.stringify(values[key])
      : row[key] === values[key],
  );
}

async function findExisting(db: Database, items: FeedArticle[]) {
  const byGuid = new Map<string, Article>();
  const byUrl = new Map<string, Article>();
  for (let i = 0; i < items.length; i += LOOKUP_CHUNK) {
    const chunk = items.slice(i, i + LOOKUP_CHUNK);
    const rows = await db
      .select()
      .from(articles)
      .where(
        or(
          inArray(articles.guid, chunk.map((a) => a.guid)),
          inArray(articles.url, chunk.map((a) => a.url)),
        ),
      )
      .all();
    for (const row of rows) {
      byGuid.set(row.guid, row);
      // The oldest row with a link is the one that link means.
      const known = byUrl.get(row.url);
      if (!known || row.id < known.id) byUrl.set(row.url, row);
    }
  }
  return { byGuid, byUrl };
}

export interface ListArticlesArgs {
  /** Only articles published at or after this time (ms). */
  since?: number;
  limit: number;
  offset: number;
}

/** Newest first, with the total for paging. */
export async function listArticles(db: Database, args: ListArticlesArgs): Promise<{ rows: Article[]; total: number }> {
  const where = args.since === undefined ? undefined : gte(articles.publishedAt, args.since);
  const [rows, [totalRow]] = await Promise.all([
    db
      .select()
      .from(articles)
      .where(where)
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(args.limit)
      .offset(args.offset)
      .all(),
    db.select({ total: count() }).from(articles).where(where).all(),
  ]);
  return { rows, total: totalRow?.total ?? 0 };
}

export const getArticle = (db: Database, id: number): Promise<Article | undefined> =>
  db.select().from(articles).where(eq(articles.id, id)).get();

/**
 * The articles with these ids, in the order given; unknown ids are left out, and so are articles
 * the site withdrew (unless asked for), so no render shows them: not a draft's preview, not a
 * send, not the web archive.
 */
export async function getArticlesByIds(db: Database, ids: number[], options: { withdrawn?: boolean } = {}): Promise<Article[]> {
  const found = new Map<number, Article>();
  const wanted = [...new Set(ids)];
  for (let i = 0; i < wanted.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .select()
      .from(articles)
      .where(inArray(articles.id, wanted.slice(i, i + LOOKUP_CHUNK)))
      .all();
    for (const row of rows) if (options.withdrawn || row.withdrawnAt === null) found.set(row.id, row);
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

/**
 * What the weekly digest quotes: articles published strictly after `since` (the previous
 * digest) and, when given, no later than `until` (this digest's cut-off), newest first; never
 * withdrawn ones, and sample articles only when asked (see src/demo/sample-feed.ts).
 */
export function articlesPublishedSince(db: Database, since: number, until?: number, sources: ArticleSource[] = ['feed', 'manual']): Promise<Article[]> {
  const after = and(gt(articles.publishedAt, since), isNull(articles.withdrawnAt), inArray(articles.source, sources));
  return db
    .select()
    .from(articles)
    .where(until === undefined ? after : and(after, lte(articles.publishedAt, until)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .all();
}

/** True once the site has any article of its own (from its feed or added by hand), not samples. */
export async function hasOwnArticles(db: Database): Promise<boolean> {
  const row = await db.select({ id: articles.id }).from(articles).where(inArray(articles.source, ['feed', 'manual'])).limit(1).get();
  return row !== undefined;
}

/** An article an editor adds by hand (one the feed does not carry, or before the feed has it). */
export interface ManualArticleInput {
  url: string;
  title: string;
  excerpt?: string;
  author?: string | null;
  imageUrl?: string | null;
  imageAlt?: string | null;
  categories?: string[];
  publishedAt: number;
}

/**
 * Adds an article by hand. Its guid is its link, so when the feed later carries the same link
 * the feed's item updates this row instead of adding a second one. A link that is already
 * stored is a 409.
 */
export async function addArticle(db: Database, input: ManualArticleInput, now = Date.now()): Promise<Article> {
  const taken = await db
    .select({ id: articles.id })
    .from(articles)
    .where(or(eq(articles.url, input.url), eq(articles.guid, input.url)))
    .get();
  if (taken) throw new AppError('conflict', 'An article with this link already exists.', { id: taken.id });
  const values: NewArticle = {
    guid: input.url,
    url: input.url,
    title: input.title,
    author: input.author ?? null,
    excerpt: input.excerpt ?? '',
    imageUrl: input.imageUrl ?? null,
    imageAlt: input.imageAlt ?? null,
    categories: input.categories ?? [],
    publishedAt: input.publishedAt,
    source: 'manual',
    createdAt: now,
    updatedAt: now,
  };
  const [row] = await db.insert(articles).values(values).onConflictDoNothing().returning();
  if (!row) throw new AppError('conflict', 'An article with this link already exists.');
  return row;
}
