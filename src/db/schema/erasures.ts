import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Tombstones of erased readers (GDPR art. 17): a keyed hash (HMAC-SHA256 with SECRET) of the
 * address, and nothing else. It lets an import or an editor's "add" recognise an erased address
 * without keeping the address: no row here can be read back into a person. A reader who signs up
 * again themself and confirms replaces their tombstone (src/subscribers/erasure.ts).
 */
export const erasedAddresses = sqliteTable('erased_addresses', {
  /** base64url HMAC of the address's tombstone form (see tombstoneHash). */
  hash: text('hash').primaryKey(),
  /** Day of the erasure (midnight UTC, ms): enough to answer "when", too coarse to identify. */
  erasedOn: integer('erased_on').notNull(),
});
