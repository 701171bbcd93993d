import { sql } from 'drizzle-orm';

/** Column default: the current time in integer milliseconds, computed by SQLite itself. */
export const nowMs = sql`(cast(unixepoch('subsecond') * 1000 as integer))`;
