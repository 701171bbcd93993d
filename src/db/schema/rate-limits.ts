import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Fixed-window counters for abuse limits (sign-ups per IP, confirmation emails per address).
 * Kept in the database so the limits hold across Node restarts and Worker isolates.
 */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});
