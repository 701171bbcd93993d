import type { Article } from './queries';
import { isoOrNull } from '../timing';


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
  withdrawn: a.withdrawnAt === null ? null : { at: isoOrNull(a.withdrawnAt), reason: a.withdrawnReason },
  publishedAt: isoOrNull(a.publishedAt),
  updatedAtSource: isoOrNull(a.updatedAtSource),
  createdAt: isoOrNull(a.createdAt),
  updatedAt: isoOrNull(a.updatedAt),
});
