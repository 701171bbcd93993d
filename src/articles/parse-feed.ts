import { atomReader } from './atom';
import type { FeedFormat, FeedReader } from './feed-reader';
import { normaliseItem, type FeedArticle, type SkippedItem } from './normalise';
import { rssReader } from './rss';
import { safeUrl } from './urls';
import { wordpressJsonReader } from './wordpress-json';
import { readXml } from './xml';

export type ParsedFeed =
  | { ok: true; format: FeedFormat; title?: string; articles: FeedArticle[]; skipped: SkippedItem[] }
  | { ok: false; error: string };

export interface ParseFeedOptions {
  /** Where the feed was fetched from: the base for relative links when the feed names no site. */
  feedUrl: string;
}

/**
 * Reads an RSS 2.0 / RSS 1.0, Atom or WordPress REST (JSON) feed, whichever `text` is. Items that
 * cannot be read are skipped and listed with the reason; a document that is not a feed at all
 * gives `ok: false` and a message an editor can act on. Never throws.
 */
export function parseFeed(text: string, options: ParseFeedOptions): ParsedFeed {
  const reader = detectFeed(text.replace(/^\uFEFF/, ''));
  if ('error' in reader) return { ok: false, error: reader.error };

  // Relative links are relative to the site; WordPress feeds name it in <channel><link>.
  const baseUrl = safeUrl(reader.siteUrl, options.feedUrl) ?? options.feedUrl;
  const articles: FeedArticle[] = [];
  const skipped: SkippedItem[] = [];
  const seenGuids = new Map<string, number>();
  const seenUrls = new Map<string, number>();

  reader.items.forEach((item, index) => {
    const position = index + 1;
    const result = readOne(reader, item, baseUrl);
    if (!result.ok) {
      skipped.push({ position, title: result.title, reason: result.reason });
      return;
    }
    const { article } = result;
    // Feeds list newest first; a repeated guid or link is the same article, so the first wins.
    const sameGuid = seenGuids.get(article.guid);
    const sameUrl = seenUrls.get(article.url);
    if (sameGuid !== undefined || sameUrl !== undefined) {
      const reason =
        sameGuid !== undefined ? `repeats the guid of item ${sameGuid}` : `repeats the link of item ${sameUrl}`;
      skipped.push({ position, title: article.title, reason });
      return;
    }
    seenGuids.set(article.guid, position);
    seenUrls.set(article.url, position);
    articles.push(article);
  });
  return { ok: true, format: reader.format, title: reader.title, articles, skipped };
}

type ReadOne = { ok: true; article: FeedArticle } | { ok: false; reason: string; title?: string };

function readOne(reader: FeedReader, item: unknown, baseUrl: string): ReadOne {
  try {
    const raw = reader.readItem(item);
    if ('error' in raw) return { ok: false, reason: raw.error, title: raw.title };
    const result = normaliseItem(raw, baseUrl);
    return result.ok ? result : { ok: false, reason: result.reason, title: raw.title?.slice(0, 200) };
  } catch (e) {
    return { ok: false, reason: `could not be read: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function detectFeed(text: string): FeedReader | { error: string } {
  const start = text.trimStart();
  if (!start) return { error: 'not a feed: the response is empty' };
  if (start.startsWith('{') || start.startsWith('[')) return detectJson(start);
  if (!start.startsWith('<')) return { error: 'not a feed: the response is neither XML nor JSON' };
  if (/^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html)\b/i.test(start)) {
    return { error: 'not a feed: the address returned an HTML page, not RSS, Atom or WordPress JSON' };
  }
  const xml = readXml(start);
  if (!xml.ok) return xml;
  switch (xml.rootName) {
    case 'rss':
    case 'rdf:RDF':
      return rssReader(xml.root, xml.rootName);
    case 'feed':
      return atomReader(xml.root);
    case 'html':
      return { error: 'not a feed: the address returned an HTML page, not RSS, Atom or WordPress JSON' };
    default:
      return { error: `not a feed: the XML document is <${xml.rootName}>, not RSS or Atom` };
  }
}

function detectJson(text: string): FeedReader | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `malformed JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (Array.isArray(data)) return wordpressJsonReader(data);
  // WordPress answers errors as {"code": "...", "message": "..."}.
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') {
    return { error: `not a feed: WordPress answered "${data.message.slice(0, 200)}"` };
  }
  return { error: 'not a feed: JSON, but not a list of WordPress posts' };
}
