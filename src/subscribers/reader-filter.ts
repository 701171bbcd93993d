import { and, eq, sql, type SQL } from 'drizzle-orm';
import * as z from 'zod';
import { subscribers, subscriberStatuses, subscriberTags, topics } from '../db/schema';

/**
 * Which readers a list, an export or a bulk action is about: a search by address or name, and
 * filters by status, topic, tag and source article. The same filter serves the readers list, the
 * CSV export and the desk, so "export what I see" exports exactly that.
 */
export interface ReaderFilter {
  q?: string;
  status?: (typeof subscriberStatuses)[number];
  topic?: (typeof topics)[number];
  tag?: string;
  /** The article the reader signed up from (consent_source), exactly. */
  source?: string;
}

export const readerFilterSchema = z.object({
  q: z.string().max(200, 'q is too long').optional(),
  status: z.enum(subscriberStatuses, { error: `status must be one of ${subscriberStatuses.join(', ')}` }).optional(),
  topic: z.enum(topics, { error: `topic must be one of ${topics.join(', ')}` }).optional(),
  tag: z.string().max(40, 'tag is too long').transform((t) => t.trim().toLowerCase()).optional(),
  source: z.string().max(2000, 'source is too long').optional(),
});

// Past every character: `x >= p and x < p || TOP` holds exactly when x starts with p.
const TOP = '\u{10FFFF}';
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * A search by address or name: readers whose address, address domain, name, or a later word of
 * the name starts with what the editor typed ("mara.v", "river.example", "@river.example",
 * "Vidmar", "Mara Vid"). Each is a range on an index (drizzle/*_issue14_reader_search.sql, the
 * address's and mailbox's unique indexes), so a search at 1,000,000 readers reads the matches,
 * not every reader as a substring test (LIKE '%…%') did. Case is ignored as on sign-up: the
 * mailbox and domain are stored lower-case, the name is compared with NOCASE (ASCII letters).
 */
export function searchWhere(raw: string, options: { tag?: string } = {}): SQL {
  return sql`(${sql.join(searchBranches(raw, options), sql` or `)})`;
}

/**
 * The ranges a search is the union of, one per index (see searchWhere). `tag`: only readers with
 * that tag are wanted (the filter has it), and the mailbox's range, the one that is dense for a
 * typical prefix, is read among tagged readers (subscribers_tagged_mailbox_idx, partial, which
 * holds their tags too, so the tag is tested without reading the row).
 */
export function searchBranches(raw: string, { tag }: { tag?: string } = {}): SQL[] {
  const q = raw.trim();
  if (q.startsWith('@')) {
    const d = asciiLower(q.slice(1));
    return [sql`(substr(${subscribers.email}, instr(${subscribers.email}, '@') + 1) >= ${d} and substr(${subscribers.email}, instr(${subscribers.email}, '@') + 1) < ${d + TOP})`];
  }
  const low = asciiLower(q);
  const range = (column: SQL, from: string) => sql`(${column} >= ${from} and ${column} < ${from + TOP})`;
  const nocase = (column: SQL) => sql`(${column} collate nocase >= ${q} and ${column} collate nocase < ${q + TOP})`;
  return [
    // An address that starts with what was typed has a mailbox that starts with it too, when
    // that holds no "+", "." or "@" (the mailbox key, src/subscribers/mailbox.ts, keeps the
    // local part up to its +tag, folds ASCII case, which the typed text no longer has, and drops
    // Gmail's dots and renames googlemail.com, all past those characters). Then the address's
    // own range adds only readers without a mailbox (rows older than the column that shared one):
    // found through the mailbox index's nulls, the address tested on their rows ("+" keeps the
    // address's index off). Reading one index's range instead of two halves a dense search's
    // cost: "reader-1" is 111,112 entries of each at 1,000,000 readers.
    /[+.@]/.test(low) ? range(sql`${subscribers.email}`, low) : sql`(${subscribers.mailbox} is null and ${range(sql`+${subscribers.email}`, low)})`,
    tag ? sql`(${range(sql`${subscribers.mailbox}`, low)} and ${subscribers.tags} <> '[]' and ${hasTag(tag)})` : range(sql`${subscribers.mailbox}`, low),
    range(sql`substr(${subscribers.email}, instr(${subscribers.email}, '@') + 1)`, low),
    nocase(sql`${subscribers.name}`),
    nocase(sql`substr(${subscribers.name}, instr(${subscribers.name}, ' ') + 1)`),
  ];
}

const hasTag = (tag: string) => sql`instr(${subscribers.tags}, ${JSON.stringify(tag)}) > 0`;

/**
 * Which index a search or filter is read through (src/subscribers/reader-page.ts picks):
 * "search" keeps the status and source off their indexes (unary +), "filters" keeps the search off
 * its own (an OR inside coalesce() is no index range), "tag" reads the tag's readers in
 * subscriber_tags and keeps both off theirs, "rows" keeps every index off (the caller names the
 * readers to test, by id). The rows matched are the same either way.
 */
export type ReaderVia = 'search' | 'filters' | 'tag' | 'rows';

export function readerWhere(f: ReaderFilter, via?: ReaderVia): SQL | undefined {
  const conditions: SQL[] = [];
  const q = f.q?.trim();
  // With a tag, the search's mailbox range is read among tagged readers (searchBranches).
  if (q) conditions.push(via === 'filters' || via === 'tag' || via === 'rows' ? sql`coalesce(${searchWhere(q)}, 0)` : searchWhere(q, { tag: f.tag }));
  const off = via === 'search' || via === 'tag' || via === 'rows';
  if (f.status) conditions.push(off ? sql`+${subscribers.status} = ${f.status}` : eq(subscribers.status, f.status));
  if (f.topic === 'digest') conditions.push(eq(subscribers.wantsDigest, true));
  if (f.topic === 'appeals') conditions.push(eq(subscribers.wantsAppeals, true));
  // Tags are stored as a JSON array of [a-z0-9_-] words, so `"donor"` occurs in the text exactly
  // when "donor" is an element: a plain substring test, several times faster than json_each.
  // Read through the tag's index (subscriber_tags, the same tags), its readers in id order.
  if (f.tag) conditions.push(via === 'tag' ? sql`${subscribers.id} in (select ${subscriberTags.subscriberId} from ${subscriberTags} where ${subscriberTags.tag} = ${f.tag})` : hasTag(f.tag));
  if (f.source) conditions.push(off ? sql`+${subscribers.consentSource} = ${f.source}` : eq(subscribers.consentSource, f.source));
  return conditions.length ? and(...conditions) : undefined;
}

/**
 * A filter with an index of its own (status, source, tag), alone: the table that index belongs
 * to, the reader id there and the condition, so that its readers can be counted and the nearest
 * one to an id found by one seek ((status, id), (source, id), (tag, id) are each ordered).
 */
export interface IndexedFilter {
  kind: 'status' | 'source' | 'tag';
  from: SQL;
  id: SQL;
  where: SQL;
}

export function indexedFilters(f: ReaderFilter): IndexedFilter[] {
  const own = (kind: 'status' | 'source', where: SQL): IndexedFilter => ({ kind, from: sql`${subscribers}`, id: sql`${subscribers.id}`, where });
  return [
    ...(f.status ? [own('status', eq(subscribers.status, f.status))] : []),
    ...(f.source ? [own('source', eq(subscribers.consentSource, f.source))] : []),
    ...(f.tag ? [{ kind: 'tag' as const, from: sql`${subscriberTags}`, id: sql`${subscriberTags.subscriberId}`, where: eq(subscriberTags.tag, f.tag) }] : []),
  ];
}

/**
 * The ids of a tag's readers who match the rest of the filter, read down subscriber_tags in id
 * order, for a tag that leads (src/subscribers/reader-page.ts): a status or source is tested on
 * its own index ((status, id), (source, id): one seek each, no row read), unless a search or
 * topic reads the reader's row, which then tests them all. Tested on rows instead, a status that
 * none of a tag's 10,000 readers have read all 10,000 rows (65 ms at 1,000,000 readers, against
 * 10 ms for the seeks);
 * and the page's rows are read only for the ids that match. `below`/`above`: the cursor.
 * INDEXED BY, because SQLite would otherwise look each id up in the table (a row read each); a
 * query naming an index the schema no longer has fails at once rather than slowly.
 */
export function tagReaderIds(f: ReaderFilter & { tag: string }, cursor: { below?: number; above?: number } = {}): SQL {
  const conditions: SQL[] = [sql`t.tag = ${f.tag}`];
  if (cursor.below !== undefined) conditions.push(sql`t.subscriber_id < ${cursor.below}`);
  if (cursor.above !== undefined) conditions.push(sql`t.subscriber_id > ${cursor.above}`);
  // When a search or topic reads each reader's row anyway, the status and source are tested on
  // it too: a seek down their index as well cost more than the row (a dense search among a
  // common tag's active readers at 1,000,000: 7.2 against 4.6 ms for 1,001 matches).
  const rowsRead = Boolean(f.q?.trim() || f.topic);
  if (f.status && !rowsRead) conditions.push(sql`exists (select 1 from subscribers u indexed by subscribers_status_idx where u.status = ${f.status} and u.id = t.subscriber_id)`);
  if (f.source && !rowsRead) conditions.push(sql`exists (select 1 from subscribers u indexed by subscribers_source_idx where u.consent_source = ${f.source} and u.id = t.subscriber_id)`);
  const onRows = rowsRead ? readerWhere({ q: f.q, topic: f.topic, status: f.status, source: f.source }, 'rows') : undefined;
  if (onRows) conditions.push(sql`exists (select 1 from ${subscribers} where ${subscribers.id} = t.subscriber_id and ${onRows})`);
  return sql`select t.subscriber_id from ${subscriberTags} t where ${and(...conditions)}`;
}
