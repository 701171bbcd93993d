import { decodeHTML } from 'entities';
import * as z from 'zod';
import type { FeedReader } from './feed-reader';
import type { ImageCandidate } from './html-text';
import type { RawItem } from './normalise';

/**
 * The WordPress REST API's posts, as `/wp-json/wp/v2/posts?_embed` returns them. Only the fields
 * Broadside reads are described; `.loose()` keeps the schema from failing on the many others.
 * "rendered" values are HTML with entities, like the RSS feed's.
 */
const rendered = z.object({ rendered: z.string() }).loose();

const mediaSize = z.object({ source_url: z.string(), width: z.number(), height: z.number() }).loose();

const featuredMedia = z
  .object({
    source_url: z.string().optional(),
    alt_text: z.string().optional(),
    media_details: z
      .object({
        width: z.number().optional(),
        height: z.number().optional(),
        sizes: z.record(z.string(), z.unknown()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const term = z.object({ taxonomy: z.string(), name: z.string() }).loose();

const wordpressPost = z
  .object({
    link: z.string({ error: 'has no link' }),
    guid: rendered.optional(),
    title: rendered.optional(),
    excerpt: rendered.optional(),
    content: rendered.optional(),
    date_gmt: z.string().nullish(),
    date: z.string().nullish(),
    modified_gmt: z.string().nullish(),
    _embedded: z
      .object({
        author: z.array(z.object({ name: z.string().optional() }).loose()).optional(),
        // A featured image the API may not show returns an error object here instead.
        'wp:featuredmedia': z.array(z.unknown()).optional(),
        'wp:term': z.array(z.array(z.unknown())).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

export function wordpressJsonReader(data: unknown[]): FeedReader {
  return { format: 'wordpress-json', items: data, readItem: readWordpressPost };
}

function readWordpressPost(item: unknown): RawItem | { error: string; title?: string } {
  const parsed = wordpressPost.safeParse(item);
  if (!parsed.success) {
    const title = rendered.safeParse((item as { title?: unknown } | null)?.title);
    return {
      title: title.success ? decodeHTML(title.data.rendered).slice(0, 200) : undefined,
      error: parsed.error.issues
        .map((i) => (i.message.startsWith('has ') ? i.message : `${i.path.join('.')}: ${i.message}`))
        .join('; '),
    };
  }
  const post = parsed.data;
  const embedded = post._embedded;
  const terms = (embedded?.['wp:term'] ?? []).flat().flatMap((t) => {
    const r = term.safeParse(t);
    return r.success && r.data.taxonomy === 'category' ? [r.data.name] : [];
  });
  return {
    // guid.rendered is HTML ("?p=12&#038;lang=en"); decoded it matches the RSS feed's guid.
    id: post.guid ? decodeHTML(post.guid.rendered) : undefined,
    link: post.link,
    title: post.title?.rendered,
    author: embedded?.author?.[0]?.name,
    summaryHtml: post.excerpt?.rendered,
    contentHtml: post.content?.rendered,
    // date_gmt has no zone and is UTC; parseFeedDate reads it so.
    published: post.date_gmt ?? post.date ?? undefined,
    updated: post.modified_gmt ?? undefined,
    categories: terms,
    images: featuredImage(embedded?.['wp:featuredmedia']?.[0]),
  };
}

/** Emails show images at most 600px wide (1200 for sharp screens): pick a size near that. */
const wantedWidth = 1200;

function featuredImage(value: unknown): ImageCandidate[] {
  const media = featuredMedia.safeParse(value);
  if (!media.success || !media.data.source_url) return [];
  const { source_url, alt_text, media_details } = media.data;
  const sizes = Object.values(media_details?.sizes ?? {}).flatMap((s) => {
    const r = mediaSize.safeParse(s);
    return r.success && r.data.width > 0 && r.data.height > 0 ? [r.data] : [];
  });
  // Every rendition, smallest first, for the email to pick per slot (see emails/_components/image-box.ts).
  const renditions = [...new Map(sizes.map((s) => [s.source_url, { url: s.source_url, width: s.width, height: s.height }])).values()]
    .sort((a, b) => a.width - b.width)
    .slice(0, 30);
  const withSizes = renditions.length ? { sizes: renditions } : {};
  // The smallest rendition at least as wide as wanted; the original when none is.
  const fitting = sizes
    .filter((s) => s.width >= wantedWidth)
    .sort((a, b) => a.width - b.width)[0];
  if (fitting && (media_details?.width ?? Infinity) > fitting.width) {
    return [{ url: fitting.source_url, alt: alt_text, width: fitting.width, height: fitting.height, ...withSizes }];
  }
  return [{ url: source_url, alt: alt_text, width: media_details?.width, height: media_details?.height, ...withSizes }];
}
