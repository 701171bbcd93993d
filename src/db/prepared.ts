import type { Database } from './database';

/**
 * A statement built once per database and run many times with `sql.placeholder` values, for the
 * few statements on a hot path (every sign-up). Drizzle's builder costs about as much CPU as
 * SQLite itself for a small statement (it checks and escapes every column each time it builds);
 * a prepared query keeps the SQL text and only fills in the values. Keyed by the database object,
 * so a test's fresh database gets its own, and nothing outlives the database it was built for.
 * Not for db.batch items: Drizzle's batch takes builders, not prepared queries.
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
