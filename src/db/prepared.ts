import { fillPlaceholders } from 'drizzle-orm';
import type { Database } from './database';

/**
 * A statement built once per database and run many times with `sql.placeholder` values, for the
 * few statements on a hot path (every sign-up). Drizzle's builder costs about as much CPU as
 * SQLite itself for a small statement (it checks and escapes every column each time it builds);
 * a prepared query keeps the SQL text and only fills in the values. Keyed by the database object,
 * so a test's fresh database gets its own, and nothing outlives the database it was built for.
 * Drizzle's batch takes builders, not prepared queries: for a batch's items see batchItemOf.
 */
export function preparedPerDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let query = built.get(db);
    if (query === undefined) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}

/**
 * What Drizzle's db.batch takes of an item, query builders and raw `db.run(sql…)` alike (and all
 * that src/db/d1.ts's batch uses): its query, and how to read its result.
 */
export interface BatchItem {
  _prepare(): {
    getQuery(): { sql: string; params: unknown[] };
    mapResult(result: unknown, isFromBatch: boolean): unknown;
  };
}

/**
 * An item of db.batch built once, with `sql.placeholder` values, and filled in per call: the
 * batch counterpart of a prepared query, for the statements of a hot path's batch. Drizzle's batch
 * builds every item's SQL again on each call (a sign-up's four-statement batch spent about as long
 * there as SQLite spent running it); this keeps the SQL text and parameter list, fills them as a
 * prepared query does (each value through its column's encoder), and reads the result as the
 * built item would. Build it with preparedPerDatabase, from a builder or raw statement whose
 * values are all placeholders, and pass every placeholder's value to each call.
 */
export function batchItemOf(item: unknown): (values: Record<string, unknown>) => BatchItem {
  const prepared = (item as BatchItem)._prepare();
  const { sql, params } = prepared.getQuery();
  const mapResult = prepared.mapResult.bind(prepared);
  return (values) => {
    const query = { sql, params: fillPlaceholders(params, values) };
    const filled = { getQuery: () => query, mapResult };
    return { _prepare: () => filled };
  };
}
