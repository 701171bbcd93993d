import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nowMs } from './now';

export const articleSources = ['feed', 'manual', 'sample'] as const;

/** One rendition of an article's picture. */
export interface ImageSize {
  url: string;
  width: number;
  height: number;
}
export type ArticleSource = (typeof articleSources)[number];

/**
 * The site's articles, as digests quote them: taken from FEED_URL or added by an editor.
 * Times are integer milliseconds since the epoch (UTC).
 */
export const articles = sqliteTable(
  'articles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /**
     * The feed's own identity for the item (RSS guid, Atom id, WordPress guid.rendered), or its
     * link when the feed gives none; for articles added by hand, the link.
     */
    guid: text('guid').notNull(),
    url: text('url').notNull(),
    title: text('title').notNull(),
    author: text('author'),
    /** Plain text, entities decoded, boilerplate removed, trimmed on a word boundary. */
    excerpt: text('excerpt').notNull().default(''),
    imageUrl: text('image_url'),
    imageAlt: text('image_alt'),
    imageWidth: integer('image_width'),
    imageHeight: integer('image_height'),
    /**
     * Every rendition of the picture the site offers (WordPress `media_details.sizes`), so each
     * slot in an email can take the smallest that is still sharp. Null when the feed names one.
     */
    imageSizes: text('image_sizes', { mode: 'json' }).$type<ImageSize[]>(),
    /** JSON array of category names as the site shows them. */
    categories: text('categories', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    publishedAt: integer('published_at').notNull(),
    /** When the site says it last changed the article (Atom updated, WordPress modified_gmt). */
    updatedAtSource: integer('updated_at_source'),
    source: text('source', { enum: articleSources }).notNull().default('feed'),
    /**
     * When a refresh or a send found the site no longer publishes it (gone from the REST API, or
     * its permalink answering 404/410). Withdrawn articles leave drafts and the web archive.
     */
    withdrawnAt: integer('withdrawn_at'),
    withdrawnReason: text('withdrawn_reason'),
    createdAt: integer('created_at').notNull().default(nowMs),
    updatedAt: integer('updated_at').notNull().default(nowMs),
  },
  (t) => [
    // One row per article: a refresh merges an item into the row with its guid, so re-reading
    // the feed never duplicates and edits on the site update the row in place. (A row is also
    // found by url, so a hand-added article adopts the feed's guid when the feed later carries
    // it; url is not unique because a slug edit must not make a refresh fail.)
    uniqueIndex('articles_guid_unique').on(t.guid),
    index('articles_url_idx').on(t.url),
    // Lists and the weekly digest ("published since the last digest") read newest first.
    index('articles_published_idx').on(t.publishedAt),
  ],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
