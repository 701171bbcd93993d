import { sql, type Placeholder, type SQL } from 'drizzle-orm';
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
    .onConflictDoUpdate(hitUpdate(windowStart))
    .returning({ count: rateLimits.count });

/** What a hit does to the row already there. */
const hitUpdate = (windowStart: Placeholder) => ({
  target: rateLimits.key,
  set: {
    // A new window starts the count again; the same window adds one.
    count: sql`case when ${rateLimits.windowStart} = ${windowStart} then ${rateLimits.count} + 1 else 1 end`,
    windowStart: sql`${windowStart}`,
  },
});

const windowOf = (now: number, windowMs: number) => now - (now % windowMs);

export interface RateLimit {
  key: string;
  limit: number;
  windowMs: number;
  now: number;
}

/**
 * The name of a limit inside one batch: its values are placeholders `${name}Key`,
 * `${name}WindowStart` and `${name}Max`, so two limits (the sign-up's per-IP count and its
 * mailbox's) can share one batch. 'limit' unless a second one is needed.
 */
export type LimitName = 'limit' | 'ipLimit';

const placeholders = (name: LimitName) => ({
  key: sql.placeholder(`${name}Key`),
  windowStart: sql.placeholder(`${name}WindowStart`),
  max: sql.placeholder(`${name}Max`),
});

// The same upsert as a batch item, built once per name, with the placeholders of
// rateLimitInBatch's values: every sign-up's batch counts its IP's and its mailbox's limits.
const hitsInBatch = preparedPerDatabase((db) => {
  const byName = new Map<LimitName, ReturnType<typeof batchItemOf>>();
  return (name: LimitName) => {
    let item = byName.get(name);
    if (!item) {
      const { key, windowStart } = placeholders(name);
      byName.set(name, (item = batchItemOf(hitStatement(db, key, windowStart))));
    }
    return item;
  };
});

/**
 * The condition for a batch's later statements that holds while the limit `name`'s count (by
 * rateLimitInBatch, earlier in the batch) is within its maximum: placeholders only (filled from
 * rateLimitInBatch's `values`), so it goes only into statements built once with batchItemOf
 * (src/db/prepared.ts).
 */
export function withinLimit(name: LimitName): SQL {
  const { key, max } = placeholders(name);
  return sql`(select ${rateLimits.count} from ${rateLimits} where ${rateLimits.key} = ${key}) <= ${max}`;
}

/** withinLimit for the usual name. */
export const withinRateLimit = withinLimit('limit');

/**
 * The upsert of rateLimitInBatch's hit, counted only when `condition` holds (otherwise it writes
 * nothing and answers no row): for a batch in which a limit counts only what another lets
 * through. `condition` is SQL over placeholders, as withinLimit's; build it once (batchItemOf).
 */
export function hitWhere(db: Database, name: LimitName, condition: SQL) {
  const { key, windowStart } = placeholders(name);
  // INSERT … SELECT … WHERE: with an upsert clause, SQLite needs the SELECT's WHERE anyway.
  return db
    .insert(rateLimits)
    .select(sql`select ${key}, ${windowStart}, 1 where ${condition}`)
    .onConflictDoUpdate(hitUpdate(windowStart))
    .returning({ count: rateLimits.count });
}

/**
 * The same count as hitRateLimit, as an item of a caller's db.batch, so the hit commits with the
 * write it limits (one transaction, one round trip): `hit` counts it, withinLimit(name) guards
 * the batch's later statements, filled with `values` among theirs; `allowed` reads the hit's
 * result from the batch's answer.
 */
export function rateLimitInBatch(db: Database, args: RateLimit, name: LimitName = 'limit') {
  const values = { [`${name}Key`]: args.key, [`${name}WindowStart`]: windowOf(args.now, args.windowMs), [`${name}Max`]: args.limit };
  const windowStart = values[`${name}WindowStart`] as number;
  return {
    hit: hitsInBatch(db)(name)(values),
    values,
    allowed: (result: { count: number }[]) => (result[0]?.count ?? 1) <= args.limit,
    /** When the window counted in ends. */
    resetAt: windowStart + args.windowMs,
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
