import { escapeUTF8 } from 'entities';
import type { FeedReader } from './feed-reader';
import { positiveInt, type ImageCandidate } from './html-text';
import type { RawItem } from './normalise';
import { mediaImages } from './rss';
import { attr, child, childText, children, innerText, rawInner, textOf, type XmlElement } from './xml';

/** Atom 1.0 (RFC 4287), including WordPress's /feed/atom/. */
export function atomReader(feed: XmlElement): FeedReader {
  const feedAuthor = authorName(feed);
  return {
    format: 'atom',
    siteUrl: alternateLink(feed),
    title: childText(feed, 'title'),
    items: children(feed, 'entry'),
    readItem: (entry) => readAtomEntry(entry, feedAuthor),
  };
}

function readAtomEntry(entry: unknown, feedAuthor: string | undefined): RawItem {
  return {
    id: childText(entry, 'id'),
    link: alternateLink(entry),
    title: asHtml(child(entry, 'title'), textOf),
    // An entry without its own author inherits the feed's (RFC 4287, 4.2.1).
    author: authorName(entry) ?? feedAuthor,
    summaryHtml: asHtml(child(entry, 'summary'), innerText),
    contentHtml: asHtml(child(entry, 'content'), innerText),
    published: childText(entry, 'published') ?? childText(entry, 'issued'),
    updated: childText(entry, 'updated') ?? childText(entry, 'modified'),
    categories: children(entry, 'category')
      .map((c) => attr(c, 'label') ?? attr(c, 'term'))
      .filter((c): c is string => !!c),
    images: [
      ...mediaImages(entry, 'media:content'),
      ...enclosureLinks(entry),
      ...mediaImages(entry, 'media:thumbnail'),
    ],
  };
}

/**
 * Atom text constructs say what they hold. The normaliser reads everything as HTML, so plain
 * text ("text", Atom's default) is escaped first: a title "Fees < costs" stays as written.
 * summary and content are stop nodes (raw inner XML); "xhtml" is then markup as it stands.
 */
function asHtml(node: unknown, text: (node: unknown) => string | undefined): string | undefined {
  const type = attr(node, 'type') ?? 'text';
  if (type === 'xhtml') return rawInner(node) || textOf(node);
  const value = text(node);
  if (value === undefined) return undefined;
  return type === 'text' || type === 'text/plain' ? escapeUTF8(value) : value;
}

function authorName(node: unknown): string | undefined {
  return childText(child(node, 'author'), 'name');
}

/** The entry's web page: rel="alternate" (the default rel), preferring HTML. */
function alternateLink(node: unknown): string | undefined {
  const alternates = children(node, 'link').filter((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate');
  const html = alternates.find((l) => {
    const type = attr(l, 'type');
    return !type || type === 'text/html' || type === 'application/xhtml+xml';
  });
  return attr(html ?? alternates[0], 'href');
}

function enclosureLinks(entry: unknown): ImageCandidate[] {
  return children(entry, 'link').flatMap((l) => {
    const href = attr(l, 'href');
    const isImage = attr(l, 'rel') === 'enclosure' && attr(l, 'type')?.startsWith('image/');
    return href && isImage ? [{ url: href, width: positiveInt(attr(l, 'width')) }] : [];
  });
}
