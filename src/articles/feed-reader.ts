import type { RawItem } from './normalise';

export type FeedFormat = 'rss' | 'atom' | 'wordpress-json';

/**
 * What a format reader (rss.ts, atom.ts, wordpress-json.ts) hands to parseFeed: the items as
 * they came, and how to read one. Reading is per item so that one broken item is skipped and
 * reported while the others are kept.
 */
export interface FeedReader {
  format: FeedFormat;
  /** The site's own address as the feed states it; relative links resolve against it. */
  siteUrl?: string;
  title?: string;
  items: unknown[];
  /** Throws, or returns an error message (and the title if known), for an item it cannot read. */
  readItem: (item: unknown) => RawItem | { error: string; title?: string };
}
