import { and, asc, desc, gt, gte, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { subscribers } from '../db/schema';
import type { Subscriber } from './queries';
import { indexedFilters, readerWhere, searchBranches, searchWhere, tagReaderIds, type IndexedFilter, type ReaderFilter, type ReaderVia } from './reader-filter';
import { tagCount, tagWalk } from './reader-tag-page';

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

/** Matches of `where`, counted up to `cap` (READER_COUNT_CAP + 1). */
async function cappedCount(db: Database, where: SQL | undefined, cap = READER_COUNT_CAP + 1): Promise<number> {
  const [counted] = await db.all<{ n: number }>(sql`select count(*) as n from (select 1 from subscribers ${where ? sql`where ${where}` : sql``} limit ${cap})`);
  return Number(counted?.n ?? 0);
}

/** Readers of one indexed filter, counted up to `cap` through its index alone. */
async function filterCount(db: Database, filter: IndexedFilter, cap: number): Promise<number> {
  const [counted] = await db.all<{ n: number }>(sql`select count(*) as n from (select 1 from ${filter.from} where ${filter.where} limit ${cap})`);
  return Number(counted?.n ?? 0);
}

/** How many readers a dense search walks by id at a time (about 4 ms at 1,000,000). */
export const SEARCH_WINDOW = 5000;

/** How many readers of a tag a dense search walks at a time (down subscriber_tags). */
export const TAG_WINDOW = 1000;

/** How many times a dense search jumps to its next match before it sorts instead. */
export const SEARCH_JUMPS = 2;

/**
 * A dense search (more matches than the count's cap: a common domain, a common name) is sorted
 * slowly through its indexes (1.6 s for every reader of one domain at 1,000,000 readers, 139 ms
 * for the 111,112 old readers whose address starts "reader-1"), when its page usually lies among
 * a few thousand readers walked by id. So the SEARCH_WINDOW readers next to the cursor are walked
 * first; when they do not hold a full page (limit + 1 matches), the search asks each of its
 * indexes for the next match past them (max(id) over one index's range reads only that index:
 * 36 ms for those 111,112 on a loaded machine, where sorting them through their rows took 620),
 * and each indexed filter (status, source) its own nearest reader (one seek), and walks the
 * window from the farther of the two; after SEARCH_JUMPS jumps the rest is sorted. The page is
 * exactly the sorted read's: every window is read whole, and no reader between a window and the
 * next match matches (it would match the search and every filter). Topic and tag have no index
 * of their own: they are tested on the window's rows (and a search with a tag does not jump).
 */
async function densePage(db: Database, args: ReaderPageArgs, where: SQL | undefined, backwards: boolean, driver?: IndexedFilter): Promise<Subscriber[]> {
  const id = subscribers.id;
  const need = args.limit + 1;
  const found: Subscriber[] = [];
  const q = args.q?.trim();
  // The id the walk starts from, not itself looked at: readers above it (backwards) or below it.
  // Past `top` (backwards) or below 1 there is nobody: the walk stops there rather than asking
  // every index for a reader past the end (a whole domain's range, 120 ms, for a previous page).
  const [last] = await db.all<{ m: number | null }>(sql`select max(id) as m from subscribers`);
  const top = Number(last?.m ?? 0);
  let bound: number;
  if (backwards) bound = args.after!;
  else if (args.before !== undefined) bound = args.before;
  else bound = top + 1;
  // With a tag (`driver`, when it is the rarest filter) a window is its next TAG_WINDOW readers
  // past the bound, read down subscriber_tags, rather than the next SEARCH_WINDOW ids: a tag on
  // 1 reader in 100 spans 20 times the ids for a fifth of the rows. Scattered rows cost about
  // five times contiguous ones (5,000 pending readers across 250,000 ids: 28 ms, against 5 ms
  // for 5,000 ids), so a status or source, which jumps by one seek anyway, walks ids.
  const byRows = driver && readerWhere(args, 'rows');
  for (let jumps = 0; ; jumps++) {
    let window: SQL;
    let end: number;
    if (driver) {
      const [span] = await db.all<{ n: number; end: number | null }>(
        sql`select count(*) as n, ${backwards ? sql`max(c)` : sql`min(c)`} as end from (select ${driver.id} as c from ${driver.from}
          where ${driver.where} and ${backwards ? sql`${driver.id} > ${bound}` : sql`${driver.id} < ${bound}`}
          order by ${driver.id} ${backwards ? sql`asc` : sql`desc`} limit ${TAG_WINDOW})`,
      );
      if (!span || span.end === null) return found; // nobody of that status, source or tag is left
      // Past the window's last reader there is nobody of the driver's when it holds fewer.
      end = Number(span.n) < TAG_WINDOW ? (backwards ? top : 1) : Number(span.end);
      const [lo, hi] = backwards ? [bound + 1, Number(span.end)] : [Number(span.end), bound - 1];
      window = sql`${id} in (select ${driver.id} from ${driver.from} where ${driver.where} and ${driver.id} between ${lo} and ${hi})`;
    } else {
      end = backwards ? bound + SEARCH_WINDOW : bound - SEARCH_WINDOW;
      window = backwards ? and(gt(id, bound), lte(id, end))! : and(lt(id, bound), gte(id, end))!;
    }
    found.push(
      ...(await db
        .select()
        .from(subscribers)
        .where(and(driver ? byRows : where, window))
        .orderBy(backwards ? asc(id) : desc(id))
        .limit(need - found.length)),
    );
    if (found.length >= need) return found;
    bound = end;
    if (backwards ? bound >= top : bound <= 1) return found; // the window reached the end
    if (jumps === SEARCH_JUMPS) break;
    // A match also matches each indexed filter: the nearest reader of that status (or source,
    // or tag) past the bound is one seek down its index ((status, id), (source, id), (tag, id)
    // ordered), and the next match can lie no nearer than the farthest of these and the
    // search's. The seeks go first: when one finds nobody, the search's index (a read of its
    // whole range past the bound, 70 ms for a common domain) is not read.
    const hits: number[] = [];
    for (const filter of indexedFilters(args)) {
      const [hit] = await db.all<{ m: number | null }>(
        sql`select ${backwards ? sql`min(${filter.id})` : sql`max(${filter.id})`} as m from ${filter.from} where ${filter.where} and ${backwards ? sql`${filter.id} > ${bound}` : sql`${filter.id} < ${bound}`}`,
      );
      if (hit?.m === null || hit?.m === undefined) return found;
      hits.push(Number(hit.m));
    }
    if (q) {
      // "+id": read through the branch's own index (covering), not by walking the rowid.
      const next = backwards ? sql`min(+${id})` : sql`max(+${id})`;
      const past = backwards ? sql`+${id} > ${bound}` : sql`+${id} < ${bound}`;
      const nearest = await Promise.all(
        searchBranches(q, { tag: args.tag }).map(async (branch) => (await db.all<{ m: number | null }>(sql`select ${next} as m from subscribers where ${branch} and ${past}`))[0]?.m ?? null),
      );
      const searchHits = nearest.filter((m): m is number => m !== null).map(Number);
      if (!searchHits.length) return found; // no match left: the page is all there is
      hits.push(backwards ? Math.min(...searchHits) : Math.max(...searchHits));
    }
    bound = backwards ? Math.max(...hits) - 1 : Math.min(...hits) + 1;
  }
  const cursor = backwards ? gt(sql`+${id}`, bound) : lt(sql`+${id}`, bound);
  const rest = await db
    .select()
    .from(subscribers)
    .where(and(where, cursor))
    .orderBy(backwards ? asc(sql`+${id}`) : desc(sql`+${id}`))
    .limit(need - found.length);
  return [...found, ...rest];
}

/** How many readers a search with other filters counts through each index before picking one. */
export const SEARCH_PROBE = 5000;

/**
 * Which index a search with other filters reads. Without statistics SQLite takes the status
 * index for "reader-1" among active readers and reads 900,000 rows for a page (600-1,000 ms
 * at 1,000,000 readers); taking the search's instead is as slow for a common domain among a
 * rare status. So each side is counted through its own index (reading only the index) up to
 * SEARCH_PROBE, and the smallest is read when it is under that; when all are larger, the page
 * lies in the windows that densePage walks, and SQLite keeps its choice for the rest. A tag is
 * one of the sides (subscriber_tags) with or without a search: a tag alone is no index SQLite
 * would choose (it tests every reader's tags, 200 ms at 1,000,000 for a tag nobody has).
 */
async function readVia(db: Database, q: string | undefined, f: ReaderFilter): Promise<{ via?: ReaderVia; driver?: IndexedFilter; countVia?: ReaderVia }> {
  // A tag first, then a source, then a status: the order a tie at SEARCH_PROBE is broken in
  // (an "active" status is most readers; a tag or an article, a few in a hundred).
  const filters = indexedFilters(f).reverse();
  if (q ? readerWhere({ ...f, q: undefined }) === undefined : !f.tag) return {};
  // With a tag, the search's candidates are that tag's readers among its ranges (searchBranches):
  // "reader-1" among 1,000,000 readers, 1% of them donors, is 1,111 rows to read, not 111,112.
  const bySearch = q ? await cappedCount(db, searchWhere(q, { tag: f.tag }), SEARCH_PROBE) : SEARCH_PROBE;
  let byFilters = SEARCH_PROBE + 1;
  let rarest: IndexedFilter | undefined;
  for (const filter of filters) {
    const n = await filterCount(db, filter, SEARCH_PROBE);
    if (n < byFilters) [byFilters, rarest] = [n, filter];
  }
  if (bySearch < SEARCH_PROBE && bySearch <= byFilters) return { via: 'search' };
  if (rarest && byFilters < SEARCH_PROBE) return { via: rarest.kind === 'tag' ? 'tag' : 'filters' };
  if (rarest?.kind === 'tag') return { driver: rarest };
  return { countVia: q && (await commonFilters(db, f, filters)) ? 'search' : undefined };
}

/** The share of all readers at or above which a status or source is counted on the search's rows. */
export const COMMON_FILTER = 1 / 20;

/**
 * Whether every status or source filter is on at least COMMON_FILTER of the readers (counted
 * through its index, up to that). Then a dense search's count is read through the search's own
 * indexes, testing the filters on those readers' rows: about 1,001 / COMMON_FILTER rows at most
 * when they are independent. SQLite's choice was the status's index whatever its size, which for
 * "reader-5" among unsubscribed readers at 1,000,000 (1 in 20) read 25,000 of their scattered
 * rows, 100 ms, where the search's 20,000 took 12 ms; for a rarer status (pending, 1 in 50) its
 * index stays the better one.
 */
async function commonFilters(db: Database, f: ReaderFilter, filters: IndexedFilter[]): Promise<boolean> {
  // Readers by status are kept counted (subscriber_counts): one row each, not 50,000 index entries.
  const [counts] = await db.all<{ all: number | null; mine: number | null }>(
    sql`select sum(n) as "all", sum(case when status = ${f.status ?? null} then n end) as mine from subscriber_counts`,
  );
  const common = Math.ceil(Number(counts?.all ?? 0) * COMMON_FILTER);
  for (const filter of filters) {
    const n = filter.kind === 'status' ? Number(counts?.mine ?? 0) : await filterCount(db, filter, common);
    if (n < common) return false;
  }
  return true;
}

/**
 * One page of the readers list, newest first, by keyset (`id < before`) rather than OFFSET, so a
 * late page costs what the first does: the scan starts at the cursor and stops after limit + 1
 * matches. The capped count stops after READER_COUNT_CAP + 1 matches, and is not needed when the
 * first page holds them all.
 */
export async function readerPage(db: Database, args: ReaderPageArgs): Promise<ReaderPage> {
  // A search counts its matches through its indexes (src/subscribers/reader-filter.ts).
  const q = args.q?.trim() || undefined;
  const { via, driver, countVia } = await readVia(db, q, args);
  const where = readerWhere(args, via);
  // A tag that leads (the rarest side, or the one a dense search walks by) is counted down its
  // readers in subscriber_tags, which stops after the cap: SQLite's own choice for a status was
  // its index, 110 ms for "reader-1" among active donors (200,000 rows read for 1,001 matches).
  const byTag = args.tag !== undefined && (via === 'tag' || driver !== undefined) ? { ...args, tag: args.tag } : undefined;
  const counted = countVia ? readerWhere(args, countVia) : where;
  // A search by address (a mailbox range) with a common tag is counted through the search's
  // indexes instead: the tag is tested on the tagged readers' mailbox index (searchBranches), and
  // the rows read are that tag's readers the search matches, not every reader of the tag ("reader-1"
  // among 1,000,000 readers, 1 in 10 a donor: 20 ms walking the donors for 1,001 active ones).
  const bySearch = driver !== undefined && q !== undefined && !q.startsWith('@') ? readerWhere(args, 'search') : undefined;
  const count = (cap = READER_COUNT_CAP + 1) => (bySearch ? cappedCount(db, bySearch, cap) : byTag ? tagCount(db, byTag, cap) : cappedCount(db, counted, cap));
  const backwards = args.after !== undefined && args.before === undefined;
  if (byTag && via === 'tag') {
    const { found, n } = await tagWalk(db, args, byTag, backwards, READER_COUNT_CAP + 1);
    return pageOf(args, found, n, backwards);
  }
  const searched = q ? await count() : undefined;
  // A search is read through its indexes and sorted: "+id" keeps SQLite from walking every
  // reader in id order instead, which it prefers for a LIMIT, and which reads most of a million
  // readers when the matches are old ones (700 ms for "Reader 1", against 200 ms sorting its
  // 111,112 matches, and 5 ms for a search with a few).
  const order: SQL = searched !== undefined ? sql`+${subscribers.id}` : sql`${subscribers.id}`;
  const cursor = args.before !== undefined ? lt(order, args.before) : backwards ? gt(order, args.after!) : undefined;
  const found =
    // A search counted to no match has no page to read; one read through an index with fewer
    // than SEARCH_PROBE candidates, or with fewer than 1,001 matches, is sorted from them.
    searched === 0
      ? []
      : searched !== undefined && searched > READER_COUNT_CAP && via === undefined
        ? await densePage(db, args, where, backwards, driver)
        : byTag
          ? // The page's ids come from the tag's readers (tagReaderIds): fewer than SEARCH_PROBE
            // of them (via "tag"), or a search with a common tag and fewer than 1,001 matches.
            await db
              .select()
              .from(subscribers)
              .where(sql`${subscribers.id} in (${tagReaderIds(byTag, backwards ? { above: args.after } : { below: args.before })} order by t.subscriber_id ${backwards ? sql`asc` : sql`desc`} limit ${args.limit + 1})`)
              .orderBy(backwards ? asc(subscribers.id) : desc(subscribers.id))
          : await db
              .select()
              .from(subscribers)
              .where(and(where, cursor))
              .orderBy(backwards ? asc(order) : desc(order))
              .limit(args.limit + 1);
  // A first page that is not full holds every match: no second scan to count them (a rare
  // search scans the table once, not twice).
  const whole = cursor === undefined && found.length <= args.limit;
  return pageOf(args, found, searched ?? (whole ? found.length : await count()), backwards);
}

/** The page from its limit + 1 readers in the order read, and the matches counted (up to the cap + 1). */
function pageOf(args: ReaderPageArgs, found: Subscriber[], n: number, backwards: boolean): ReaderPage {
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
