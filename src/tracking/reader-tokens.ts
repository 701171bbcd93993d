import { eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { campaignTracking } from '../db/schema';
import { TrackingSigner } from './tracking-tokens';

/** Synchronous: a send makes one per reader (see TrackingSigner.readerSigner). */
export type ReaderTokens = (subscriberId: number) => string;

/**
 * The reader tokens of one tracked campaign: one HMAC per reader, whatever the number of links.
 * Loads the campaign's key once; throws if the send started without one, which cannot happen
 * (the key is stored in the batch that stores the tracked render).
 */
export async function readerTokens(db: Database, campaignId: number): Promise<ReaderTokens> {
  const row = await db.select({ key: campaignTracking.key }).from(campaignTracking).where(eq(campaignTracking.campaignId, campaignId)).get();
  if (!row) throw new Error(`campaign ${campaignId} has tracked links but no tracking key`);
  const signer = await TrackingSigner.fromKey(row.key);
  return signer.readerSigner(campaignId);
}
