import type { FeedReader } from './feed-reader';
import { positiveInt, type ImageCandidate } from './html-text';
import type { RawItem } from './normalise';
import { attr, child, childText, children, innerText, textOf, type XmlElement } from './xml';

/**
 * RSS 2.0 as WordPress writes it at /feed/ (content:encoded, dc:creator, category, and the
 * media:content, media:thumbnail and enclosure images that themes and plugins add), plus RSS 1.0
 * (RDF), whose items sit beside the channel instead of inside it.
 */
export function rssReader(root: XmlElement, rootName: 'rss' | 'rdf:RDF'): FeedReader {
  const channel = child(root, 'channel');
  const items = rootName === 'rss' ? children(channel, 'item') : children(root, 'item');
  return {
    format: 'rss',
    siteUrl: childText(channel, 'link'),
    title: childText(channel, 'title'),
    items,
    readItem: readRssItem,
  };
}

function readRssItem(item: unknown): RawItem {
  const guidNode = child(item, 'guid');
  const guid = textOf(guidNode)?.trim() || undefined;
  // A guid is the article's address unless it says isPermaLink="false" (RSS 2.0's default).
  const guidIsLink = guid !== undefined && attr(guidNode, 'isPermaLink') !== 'false';
  return {
    id: guid,
    link: childText(item, 'link') ?? (guidIsLink ? guid : undefined),
    title: childText(item, 'title'),
    author: childText(item, 'dc:creator') ?? nameFromRssAuthor(childText(item, 'author')),
    summaryHtml: innerText(child(item, 'description')),
    contentHtml: innerText(child(item, 'content:encoded')),
    published: childText(item, 'pubDate') ?? childText(item, 'dc:date'),
    updated: childText(item, 'atom:updated'),
    categories: children(item, 'category')
      .map((c) => textOf(c)?.trim())
      .filter((c): c is string => !!c),
    // The featured image first (media:content, enclosure), then the smaller thumbnails.
    images: [
      ...mediaImages(item, 'media:content'),
      ...enclosureImages(item),
      ...mediaImages(item, 'media:thumbnail'),
    ],
  };
}

/** RSS's <author> is an email address, often "jo@example.org (Jo Bloggs)": keep the name only. */
function nameFromRssAuthor(author: string | undefined): string | undefined {
  if (!author) return undefined;
  const named = /\(([^)]+)\)\s*$/.exec(author);
  if (named) return named[1];
  return author.includes('@') ? undefined : author;
}

const imageExtension = /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i;

/** Media RSS images, directly on the item or inside a media:group. */
export function mediaImages(item: unknown, tag: 'media:content' | 'media:thumbnail'): ImageCandidate[] {
  const holders = [item, ...children(item, 'media:group')];
  const nodes = holders.flatMap((h) => children(h, tag));
  return (tag === 'media:content' ? nodes.filter(isMediaImage) : nodes).flatMap((node) => {
    const url = attr(node, 'url');
    if (!url) return [];
    return [
      {
        url,
        alt: childText(node, 'media:description') ?? childText(node, 'media:title'),
        width: positiveInt(attr(node, 'width')),
        height: positiveInt(attr(node, 'height')),
      },
    ];
  });
}

function isMediaImage(node: unknown): boolean {
  const medium = attr(node, 'medium');
  const type = attr(node, 'type');
  if (medium) return medium === 'image';
  if (type) return type.startsWith('image/');
  return imageExtension.test(attr(node, 'url') ?? '');
}

function enclosureImages(item: unknown): ImageCandidate[] {
  return children(item, 'enclosure').flatMap((node) => {
    const url = attr(node, 'url');
    return url && attr(node, 'type')?.startsWith('image/') ? [{ url }] : [];
  });
}
