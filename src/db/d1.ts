import type { D1Database } from '@cloudflare/workers-types/index.ts';
import { drizzle } from 'drizzle-orm/d1';
import type { Database } from './database';
import type { BatchItem } from './prepared';
import * as schema from './schema';


/**
 * Drizzle over a D1 binding (Workers). Nothing is migrated here: D1 databases are brought up to
 * date from drizzle/ by `wrangler d1 migrations apply`, before a deploy, not at request time.
 *
 * `batch` is replaced. Drizzle's own D1 batch (0.45) throws "Cannot read properties of undefined
 * (reading 'bind')" for a raw `db.run(sql\`…${value}\`)` item (drizzle-team/drizzle-orm#2277):
 * it binds through a prepared statement that raw items do not have. Broadside's ledger writes are
 * exactly such items, so every item is prepared here from its own SQL and parameters, the same
 * way drizzle does it for query builders, and D1 runs the list as one transaction.
 */
export function openD1(binding: D1Database): Database {
  const db = drizzle(binding, { schema }) as unknown as Database;
  db.batch = async (items: BatchItem[]) => {
    const prepared = items.map((item) => item._prepare());
    const statements = prepared.map((p) => {
      const query = p.getQuery();
      return binding.prepare(query.sql).bind(...query.params);
    });
    const results = await binding.batch(statements);
    return results.map((result, i) => prepared[i]!.mapResult(result, true));
  };
  return db;
}
