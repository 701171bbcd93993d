import { sql, type Placeholder } from 'drizzle-orm';
import type { Database } from './db/database';
import { batchItemOf, preparedPerDatabase } from './db/prepared';
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

/** The upsert that counts one hit, for `key` and `windowStart` given as placeholders. */
const hitStatement = (db: Database, key: Placeholder, windowStart: Placeholder) =>
  db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        // A new window starts the count again; the same window adds one.
        count: sql`case when ${rateLimits.windowStart} = ${windowStart} then ${rateLimits.count} + 1 else 1 end`,
        windowStart: sql`${windowStart}`,
      },
    })
    .returning({ count: rateLimits.count });

const windowOf = (now: number, windowMs: number) => now - (now % windowMs);

export interface RateLimit {
  key: string;
  limit: number;
  windowMs: number;
  now: number;
}

// The same upsert as a batch item, and the condition on the count, with the placeholders of
// RateLimitInBatch.values: built once, as every sign-up's batch counts its mailbox's limit.
const hitInBatch = preparedPerDatabase((db) => batchItemOf(hitStatement(db, sql.placeholder('limitKey'), sql.placeholder('limitWindowStart'))));
/**
 * The condition for a batch's later statements that holds while rateLimitInBatch's count is
 * within its limit: one constant, with placeholders (filled from its `values`), so it goes only
 * into statements built once with batchItemOf (src/db/prepared.ts).
 */
export const withinRateLimit = sql`(select ${rateLimits.count} from ${rateLimits} where ${rateLimits.key} = ${sql.placeholder('limitKey')}) <= ${sql.placeholder('limitMax')}`;

/**
 * The same count as hitRateLimit, as the first item of a caller's db.batch, so the hit commits
 * with the write it limits (one transaction, one round trip): `hit` counts it, withinRateLimit
 * guards the batch's later statements, filled with `values` among theirs; `allowed` reads the
 * hit's result from the batch's answer.
 */
export function rateLimitInBatch(db: Database, args: RateLimit) {
  const values = { limitKey: args.key, limitWindowStart: windowOf(args.now, args.windowMs), limitMax: args.limit };
  return {
    hit: hitInBatch(db)(values),
    values,
    allowed: (result: { count: number }[]) => (result[0]?.count ?? 1) <= args.limit,
    /** When the window counted in ends. */
    resetAt: values.limitWindowStart + args.windowMs,
  };
}

/**
 * Counts one hit against `key` in a fixed window and says whether it is within `limit`.
 * One statement (an upsert with RETURNING), so concurrent requests cannot both slip under the
 * limit, and it works the same on libSQL and D1.
 */
export async function hitRateLimit(db: Database, args: RateLimit): Promise<{ allowed: boolean; count: number; resetAt: number }> {
  // rateLimitInBatch's count on its own: one statement, the same window and verdict.
  const limit = rateLimitInBatch(db, args);
  const [result] = (await db.batch([limit.hit])) as [{ count: number }[]];
  return { allowed: limit.allowed(result), count: result[0]?.count ?? 1, resetAt: limit.resetAt };
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
