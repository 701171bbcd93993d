import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Key/value settings kept by Broadside itself, e.g. generated secrets. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
