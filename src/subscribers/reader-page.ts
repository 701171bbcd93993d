import { and, asc, desc, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { subscribers } from '../db/schema';
import type { Subscriber } from './queries';
import { readerWhere, type ReaderFilter } from './reader-filter';

/**
 * Matches are counted up to this many; past it the desk says "more than 1,000". Counting every
 * match of a filter over a million readers is a scan of them all on each page view, and nobody
 * reads the difference between 48,211 and 48,212 (the figures by status stay exact).
 */
export const READER_COUNT_CAP = 1000;

export interface ReaderPageArgs extends ReaderFilter {
  limit: number;
  /** Keyset cursors: the page of readers older than (id below) `before`, or newer than `after`. */
  before?: number;
  after?: number;
}

export interface ReaderPage {
  rows: Subscriber[];
  /** Matches of the filter (whatever the cursor), counted up to READER_COUNT_CAP + 1. */
  matched: number;
  /** True when there are more than READER_COUNT_CAP matches (`matched` is then a lower bound). */
  capped: boolean;
  /** Cursors of the neighbouring pages, or null at either end. */
  older: number | null;
  newer: number | null;
}

/** Matches of `where`, counted up to READER_COUNT_CAP + 1. */
async function cappedCount(db: Database, where: SQL | undefined): Promise<number> {
  const [counted] = await db.all<{ n: number }>(sql`select count(*) as n from (select 1 from subscribers ${where ? sql`where ${where}` : sql``} limit ${READER_COUNT_CAP + 1})`);
  return Number(counted?.n ?? 0);
}

/** How many readers next to the cursor a dense search looks through first (about 4 ms at 1,000,000). */
export const SEARCH_WINDOW = 5000;

/**
 * A dense search (more matches than the count's cap: a common domain, a common name) is sorted
 * slowly through its indexes (1.6 s for every reader of one domain at 1,000,000 readers) when
 * its page is usually among the readers right next to the cursor. So the SEARCH_WINDOW readers
 * there are walked by id first: if they hold a full page (limit + 1 matches), that page is
 * exactly the one the sorted read gives, since every reader outside the window lies beyond all of
 * them. Otherwise (the matches are old ones) undefined, and the caller sorts.
 */
async function pageNearCursor(db: Database, where: SQL | undefined, args: ReaderPageArgs, backwards: boolean) {
  const id = subscribers.id;
  let range: SQL | undefined;
  if (backwards) range = and(gt(id, args.after!), lte(id, args.after! + SEARCH_WINDOW));
  else {
    const [top] = await db.all<{ m: number | null }>(sql`select max(id) as m from subscribers`);
    const end = args.before ?? Number(top?.m ?? 0) + 1;
    range = and(lt(id, end), gte(id, end - SEARCH_WINDOW));
  }
  const rows = await db
    .select()
    .from(subscribers)
    .where(and(where, range))
    .orderBy(backwards ? asc(id) : desc(id))
    .limit(args.limit + 1);
  return rows.length > args.limit ? rows : undefined;
}

/**
 * One page of the readers list, newest first, by keyset (`id < before`) rather than OFFSET, so a
 * late page costs what the first does: the scan starts at the cursor and stops after limit + 1
 * matches. The capped count stops after READER_COUNT_CAP + 1 matches, and is not needed when the
 * first page holds them all.
 */
export async function readerPage(db: Database, args: ReaderPageArgs): Promise<ReaderPage> {
  // A search counts its matches through its indexes (src/subscribers/reader-filter.ts).
  const searched = args.q?.trim() ? await cappedCount(db, readerWhere(args)) : undefined;
  const where = readerWhere(args);
  const backwards = args.after !== undefined && args.before === undefined;
  // A search is read through its indexes and sorted: "+id" keeps SQLite from walking every
  // reader in id order instead, which it prefers for a LIMIT, and which reads most of a million
  // readers when the matches are old ones (700 ms for "Reader 1", against 200 ms sorting its
  // 111,112 matches, and 5 ms for a search with a few).
  const order: SQL = searched !== undefined ? sql`+${subscribers.id}` : sql`${subscribers.id}`;
  const cursor = args.before !== undefined ? lt(order, args.before) : backwards ? gt(order, args.after!) : undefined;
  const found =
    (searched !== undefined && searched > READER_COUNT_CAP ? await pageNearCursor(db, where, args, backwards) : undefined) ??
    (await db
      .select()
      .from(subscribers)
      .where(and(where, cursor))
      .orderBy(backwards ? asc(order) : desc(order))
      .limit(args.limit + 1));
  // A first page that is not full holds every match: no second scan to count them (a rare
  // search scans the table once, not twice).
  const whole = cursor === undefined && found.length <= args.limit;
  const n = searched ?? (whole ? found.length : await cappedCount(db, where));
  const more = found.length > args.limit;
  const rows = found.slice(0, args.limit);
  if (backwards) rows.reverse();
  return {
    rows,
    matched: Math.min(n, READER_COUNT_CAP),
    capped: n > READER_COUNT_CAP,
    older: rows.length && (backwards || more) ? rows.at(-1)!.id : null,
    newer: rows.length && (args.before !== undefined || (backwards && more)) ? rows[0]!.id : null,
  };
}
