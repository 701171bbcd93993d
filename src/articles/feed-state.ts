import { eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { settings } from '../db/schema';
import type { FeedValidators } from './fetch-feed';

// Kept in the settings table, per feed address, so a new FEED_URL starts without validators
// and every Node process or Worker isolate shares them.
const keyOf = (feedUrl: string) => `feed_validators:${feedUrl}`;

export async function loadFeedValidators(db: Database, feedUrl: string): Promise<FeedValidators> {
  const row = await db.select().from(settings).where(eq(settings.key, keyOf(feedUrl))).get();
  if (!row) return {};
  try {
    const value = JSON.parse(row.value) as FeedValidators;
    return { etag: value.etag, lastModified: value.lastModified, bodyHash: value.bodyHash };
  } catch {
    return {};
  }
}

export async function saveFeedValidators(db: Database, feedUrl: string, validators: FeedValidators): Promise<void> {
  const key = keyOf(feedUrl);
  if (!validators.etag && !validators.lastModified && !validators.bodyHash) {
    await db.delete(settings).where(eq(settings.key, key));
    return;
  }
  const value = JSON.stringify(validators);
  await db.insert(settings).values({ key, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
}
