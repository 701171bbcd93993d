import * as z from 'zod';
import type { ImageSize } from '../db/schema';
import { parseFeedDate } from './dates';
import { cleanFeedHtml, trimExcerpt, type ExcerptSource } from './excerpt';
import { collapseWhitespace, readFeedHtml, type ImageCandidate } from './html-text';
import { isUnfitImage } from './images';
import { safeUrl } from './urls';

/**
 * One item as a format reader (rss.ts, atom.ts, wordpress-json.ts) found it: strings straight from
 * the feed, which may carry markup and entities. normaliseItem turns it into a FeedArticle.
 */
export interface RawItem {
  id?: string;
  link?: string;
  /** Titles, names and categories are treated as HTML: WordPress escapes them twice. */
  title?: string;
  author?: string;
  summaryHtml?: string;
  contentHtml?: string;
  published?: string;
  updated?: string;
  categories: string[];
  /** Images the feed names outright (featured media, media:content, enclosure), best first. */
  images: ImageCandidate[];
}

/** An article as read from a feed, ready to store. */
export interface FeedArticle {
  /** The feed's id for the item, or its link when it has none. */
  guid: string;
  url: string;
  title: string;
  author: string | null;
  /** Plain text. */
  excerpt: string;
  imageUrl: string | null;
  imageAlt: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
  imageSizes: ImageSize[] | null;
  categories: string[];
  /** null when the feed gives no date: the article then counts as published when first seen. */
  publishedAt: number | null;
  updatedAtSource: number | null;
}

/** An item left out of the result, and why, for the editor's refresh report. */
export interface SkippedItem {
  /** 1-based position of the item in the feed. */
  position: number;
  title?: string;
  reason: string;
}

const feedArticleSchema = z.object({
  guid: z.string().min(1).max(2048, 'guid is longer than 2048 characters'),
  url: z.string().max(2048, 'link is longer than 2048 characters'),
  title: z.string().min(1, 'has no title').max(300),
  author: z.string().max(200).nullable(),
  excerpt: z.string(),
  imageUrl: z.string().max(2048).nullable(),
  imageAlt: z.string().max(300).nullable(),
  imageWidth: z.number().int().positive().nullable(),
  imageHeight: z.number().int().positive().nullable(),
  imageSizes: z.array(z.object({ url: z.string().max(2048), width: z.number().int().positive(), height: z.number().int().positive() })).max(30).nullable(),
  categories: z.array(z.string().min(1).max(100)).max(30),
  publishedAt: z.number().int().nullable(),
  updatedAtSource: z.number().int().nullable(),
}) satisfies z.ZodType<FeedArticle>;

export type NormaliseResult = { ok: true; article: FeedArticle } | { ok: false; reason: string };

/**
 * Validates and cleans one item: entities decoded, excerpt as trimmed plain text without
 * boilerplate, URLs resolved against `baseUrl` and kept only when http(s), the best image chosen.
 */
export function normaliseItem(raw: RawItem, baseUrl: string): NormaliseResult {
  const url = safeUrl(raw.link, baseUrl);
  // Without a link there is nothing for a reader to click: the one item-level fault that is
  // decided before the schema, to say which of the two cases it is.
  if (!url) {
    return {
      ok: false,
      reason: raw.link?.trim()
        ? `its link "${raw.link.trim().slice(0, 100)}" is not an http(s) address`
        : 'has no link',
    };
  }
  const summary = raw.summaryHtml ? cleanFeedHtml(raw.summaryHtml) : undefined;
  // Full content (often the whole article) is only read when needed: for the excerpt when there
  // is no summary, and for its first image when the feed names none outright.
  let content: ExcerptSource | undefined;
  const readContent = () => (content ??= cleanFeedHtml(raw.contentHtml ?? ''));

  const excerptText = summary?.text || readContent().text;
  const image =
    chooseImage(raw.images, url) ??
    chooseImage([...readContent().images, ...(summary?.images ?? [])], url);
  const published = parseFeedDate(raw.published);
  const updated = parseFeedDate(raw.updated);

  const candidate = {
    guid: raw.id?.trim() || url,
    url,
    // Over-long text is clipped, not refused: a site's odd data should not lose an article.
    title: trimExcerpt(plain(raw.title), 300),
    author: trimExcerpt(plain(raw.author), 200) || null,
    excerpt: trimExcerpt(excerptText),
    imageUrl: image?.url ?? null,
    imageAlt: image?.alt ?? null,
    imageWidth: image?.width ?? null,
    imageHeight: image?.height ?? null,
    imageSizes: image?.sizes ?? null,
    categories: unique(raw.categories.map((c) => trimExcerpt(plain(c), 100)).filter(Boolean)).slice(0, 30),
    publishedAt: published ?? updated,
    updatedAtSource: updated,
  };
  const result = feedArticleSchema.safeParse(candidate);
  if (!result.success) {
    return { ok: false, reason: result.error.issues.map(describeIssue).join('; ') };
  }
  return { ok: true, article: result.data };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.');
  return issue.message.startsWith('has ') || issue.message.includes(field)
    ? issue.message
    : `${field}: ${issue.message}`;
}

function plain(html: string | undefined): string {
  if (!html) return '';
  // Cheap path for the common case of text without markup or entities.
  return /[<&]/.test(html) ? readFeedHtml(html).text : collapseWhitespace(html);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

interface ChosenImage {
  url: string;
  alt: string | null;
  width: number | null;
  height: number | null;
  sizes: ImageSize[] | null;
}

function chooseImage(candidates: ImageCandidate[], base: string): ChosenImage | null {
  for (const c of candidates) {
    const url = safeUrl(c.url, base);
    if (!url) continue;
    // Tracking pixels, emoji and icons are not pictures of the story.
    if (isUnfitImage({ ...c, url })) continue;
    const alt = trimExcerpt(plain(c.alt), 300) || null;
    const sizes = (c.sizes ?? []).flatMap((s) => {
      const sizeUrl = safeUrl(s.url, base);
      return sizeUrl ? [{ url: sizeUrl, width: s.width, height: s.height }] : [];
    });
    return { url, alt, width: c.width ?? null, height: c.height ?? null, sizes: sizes.length ? sizes : null };
  }
  return null;
}
