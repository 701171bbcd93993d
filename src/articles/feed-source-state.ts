import { eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { settings } from '../db/schema';
import type { FeedSource } from './feed-source';

// What discovery found for a FEED_URL, kept a day so the site's home page is asked once a day
// rather than every half hour.
const keyOf = (feedUrl: string) => `feed_source:${feedUrl}`;
export const FEED_SOURCE_TTL_MS = 24 * 3600 * 1000;

export async function loadFeedSource(db: Database, feedUrl: string, now: number): Promise<FeedSource | undefined> {
  const row = await db.select().from(settings).where(eq(settings.key, keyOf(feedUrl))).get();
  if (!row) return undefined;
  try {
    const value = JSON.parse(row.value) as FeedSource & { at: number };
    return now - value.at < FEED_SOURCE_TTL_MS ? { url: value.url, via: value.via, fallbackUrl: value.fallbackUrl } : undefined;
  } catch {
    return undefined;
  }
}

export async function saveFeedSource(db: Database, feedUrl: string, source: FeedSource | undefined, now: number): Promise<void> {
  const key = keyOf(feedUrl);
  if (!source) {
    await db.delete(settings).where(eq(settings.key, key));
    return;
  }
  const value = JSON.stringify({ ...source, at: now });
  await db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
}
