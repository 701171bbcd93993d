import type { Article } from './queries';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An article as the admin API shows it. */
export const serializeArticle = (a: Article) => ({
  id: a.id,
  guid: a.guid,
  url: a.url,
  title: a.title,
  author: a.author,
  excerpt: a.excerpt,
  image: a.imageUrl ? { url: a.imageUrl, alt: a.imageAlt, width: a.imageWidth, height: a.imageHeight } : null,
  categories: a.categories,
  source: a.source,
  /** Set when the site stopped publishing it (see src/articles/withdrawn.ts). */
  withdrawn: a.withdrawnAt === null ? null : { at: iso(a.withdrawnAt), reason: a.withdrawnReason },
  publishedAt: iso(a.publishedAt),
  updatedAtSource: iso(a.updatedAtSource),
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
});
