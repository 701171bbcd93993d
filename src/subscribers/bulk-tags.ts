import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { normaliseEmail } from './email-address';
import { mailboxKey } from './mailbox';

/** Addresses per call: a pasted column of a spreadsheet, not a whole list (that is an import). */
export const BULK_MAX_ADDRESSES = 10_000;

/** Addresses as an editor pastes them: one per line, or separated by commas, semicolons or spaces. */
export function pastedAddresses(text: string | string[]): { emails: string[]; invalid: string[] } {
  const parts = (Array.isArray(text) ? text : text.split(/[\s,;]+/)).map((p) => p.trim().replace(/^<|>$/g, '')).filter(Boolean);
  const emails = new Set<string>();
  const invalid: string[] = [];
  for (const p of parts) {
    const e = normaliseEmail(p);
    if (e) emails.add(e);
    else invalid.push(p.slice(0, 100));
  }
  return { emails: [...emails], invalid };
}

/**
 * Adds and removes tags on the readers with these addresses, in one batch of set-based
 * statements (the addresses and tags go in as JSON values), with a "tags_changed" event for each
 * reader whose tags really changed. Returns who was found, changed, and not found.
 */
export async function bulkTag(db: Database, args: { emails: string[]; add: string[]; remove: string[]; now: number }) {
  // By mailbox, as the sign-up form and the import find a reader: a pasted `CLEO@town.example`
  // or `cleo+news@town.example` is the reader `Cleo@town.example`.
  const mailboxes = JSON.stringify(args.emails.map(mailboxKey));
  const add = JSON.stringify(args.add);
  const remove = JSON.stringify(args.remove);
  // The new tag list of a reader: old ∪ add − remove, in first-seen order, as a JSON array.
  const next = sql`(select coalesce(json_group_array(value), '[]') from (
      select value from (
        select value, min(o) as o from (
          select value, key as o from json_each(subscribers.tags)
          union all select value, 1000 + key from json_each(${add}))
        group by value)
      where value not in (select value from json_each(${remove}))
      order by o))`;
  const target = sql`subscribers.mailbox in (select value from json_each(${mailboxes}))`;
  const found = await db.all<{ mailbox: string }>(sql`select mailbox from subscribers where ${target}`);
  const [, changed] = (await db.batch([
    db.run(sql`
      insert into subscriber_events (subscriber_id, type, detail, created_at)
      select id, 'tags_changed', json_object('added', json(${add}), 'removed', json(${remove}), 'actor', 'editor'), ${args.now}
      from subscribers where ${target} and tags <> ${next}`),
    db.all(sql`update subscribers set tags = ${next}, updated_at = ${args.now} where ${target} and tags <> ${next} returning id`),
  ])) as [unknown, { id: number }[]];
  const foundSet = new Set(found.map((f) => f.mailbox));
  return { matched: found.length, changed: changed.length, notFound: args.emails.filter((e) => !foundSet.has(mailboxKey(e))) };
}
