import { eq, lt } from 'drizzle-orm';
import type { Database } from '../db/database';
import { webhookReceipts } from '../db/schema';

/** Svix retries for about a day; a week of ids is ample, and the table stays small. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Claims a Svix message id. True for the first request carrying it; false for any later copy,
 * which must then change nothing. The primary key decides, so two copies arriving together are
 * told apart too.
 */
export async function claimReceipt(db: Database, args: { svixId: string; type: string; now: number }): Promise<boolean> {
  const rows = await db
    .insert(webhookReceipts)
    .values({ svixId: args.svixId, type: args.type, receivedAt: args.now })
    .onConflictDoNothing()
    .returning({ svixId: webhookReceipts.svixId });
  return rows.length === 1;
}

/** Gives a claim back when applying the event failed, so Svix's retry is applied, not ignored. */
export async function releaseReceipt(db: Database, svixId: string): Promise<void> {
  await db.delete(webhookReceipts).where(eq(webhookReceipts.svixId, svixId));
}

export async function pruneReceipts(db: Database, now: number): Promise<void> {
  await db.delete(webhookReceipts).where(lt(webhookReceipts.receivedAt, now - KEEP_MS));
}
