import { sql } from 'drizzle-orm';
import type { Database } from './db/database';
import { preparedPerDatabase } from './db/prepared';
import { rateLimits } from './db/schema';
import type { TokenSigner } from './tokens';

/**
 * The stored key of a limit on something personal (a mailbox, an IP address): `kind:` and a
 * keyed hash of the value, so the table can count per person without holding who they are, and
 * an erased reader leaves nothing readable here. Callers pass the value already folded to what
 * the limit is about (for addresses: mailboxKey).
 */
export async function rateLimitKey(signer: Pick<TokenSigner, 'keyedHash'>, kind: string, value: string): Promise<string> {
  return `${kind}:${await signer.keyedHash(`rate-limit:${kind}`, value)}`;
}

const windowStart = sql.placeholder('windowStart');
const hit = preparedPerDatabase((db) =>
  db
    .insert(rateLimits)
    .values({ key: sql.placeholder('key'), windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // A new window starts the count again; the same window adds one.
        count: sql`case when ${rateLimits.windowStart} = ${windowStart} then ${rateLimits.count} + 1 else 1 end`,
        windowStart: sql`${windowStart}`,
      },
    })
    .returning({ count: rateLimits.count })
    // Built once: every sign-up counts two limits (src/db/prepared.ts).
    .prepare(),
);

/**
 * Counts one hit against `key` in a fixed window and says whether it is within `limit`.
 * One statement (an upsert with RETURNING), so concurrent requests cannot both slip under the
 * limit, and it works the same on libSQL and D1.
 */
export async function hitRateLimit(
  db: Database,
  args: { key: string; limit: number; windowMs: number; now: number },
): Promise<{ allowed: boolean; count: number; resetAt: number }> {
  const windowStart = args.now - (args.now % args.windowMs);
  const [row] = await hit(db).all({ key: args.key, windowStart });
  const count = row?.count ?? 1;
  return { allowed: count <= args.limit, count, resetAt: windowStart + args.windowMs };
}

/** The longest window in use (confirmation emails per address per day). */
const LONGEST_WINDOW_MS = 24 * 3600 * 1000;

/**
 * Forgets windows that have ended, so the table holds only the last day's IPs and addresses
 * instead of every one ever seen. Run by housekeepingJob (src/housekeeping.ts).
 */
export async function pruneRateLimits(db: Database, now: number): Promise<void> {
  await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < ${now - LONGEST_WINDOW_MS}`);
}
