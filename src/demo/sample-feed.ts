import { escapeUTF8 } from 'entities';
import type { FeedArticle } from '../articles/normalise';
import { upsertArticles } from '../articles/queries';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { sampleArticles } from './sample-articles';
import { SAMPLE_IMAGE } from './sample-images';

/**
 * The sample feed: what a newcomer's digest quotes before FEED_URL is set. Only while mail stays
 * in the outbox (no RESEND_API_KEY), so sample articles can never reach real readers; setting
 * FEED_URL replaces them (the digest then reads only the site's articles, see
 * articlesPublishedSince).
 */
export const usesSampleFeed = (config: Pick<Config, 'feedUrl' | 'resendApiKey'>) => !config.feedUrl && !config.resendApiKey;

const HOUR = 3600 * 1000;

/** The sample articles as if published over the last few days, so every week has a digest to try. */
export function sampleFeedArticles(publicUrl: string, now: number): FeedArticle[] {
  return sampleArticles.map((a, i) => ({
    guid: `broadside-sample:${a.slug}`,
    url: `${publicUrl}/demo/articles/${a.slug}`,
    title: a.title,
    author: a.author,
    excerpt: a.body[0] ?? '',
    imageUrl: `${publicUrl}/demo/images/${a.slug}.svg`,
    imageAlt: a.picture.alt,
    imageWidth: SAMPLE_IMAGE.width,
    imageHeight: SAMPLE_IMAGE.height,
    imageSizes: null,
    categories: [a.category],
    publishedAt: Math.floor((now - 2 * HOUR - i * 19 * HOUR) / HOUR) * HOUR,
    updatedAtSource: null,
  }));
}

/** Stores the sample articles (source "sample") as a feed refresh would. */
export async function importSampleFeed(db: Database, publicUrl: string, now: number) {
  return upsertArticles(db, sampleFeedArticles(publicUrl, now), now, 'sample');
}

/** The same articles as RSS 2.0, served at /demo/feed/ for anyone who wants to look. */
export function sampleFeedXml(publicUrl: string, siteName: string, now: number): string {
  const x = escapeUTF8;
  const items = sampleFeedArticles(publicUrl, now).map(
    (a) => `<item><title>${x(a.title)}</title><link>${x(a.url)}</link><guid isPermaLink="false">${x(a.guid)}</guid>` +
      `<pubDate>${new Date(a.publishedAt!).toUTCString()}</pubDate><dc:creator>${x(a.author ?? '')}</dc:creator>` +
      a.categories.map((c) => `<category>${x(c)}</category>`).join('') +
      `<description>${x(a.excerpt)}</description>` +
      `<media:content url="${x(a.imageUrl!)}" medium="image" width="${a.imageWidth}" height="${a.imageHeight}"><media:description>${x(a.imageAlt ?? '')}</media:description></media:content></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>${x(siteName)} (sample articles)</title><link>${x(publicUrl)}/</link><description>Sample articles for trying Broadside</description>
${items.join('\n')}
</channel></rss>
`;
}
