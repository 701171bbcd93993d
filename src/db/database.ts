import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema';

/**
 * The database as every query sees it: Drizzle over libSQL (Node, Turso) or D1 (Workers).
 * Query code is typed against this so it runs unchanged on both; multi-statement writes use
 * `db.batch([...])`, because D1 has no interactive transactions.
 */
export type Database = BaseSQLiteDatabase<'async', any, typeof schema> & {
  batch: (queries: any) => Promise<any>;
};
