import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';

export interface SourceSignups {
  /** The article URL (fragment and utm_* parameters removed), or how else the reader came. */
  source: string | null;
  /** The article in the feed with that URL, when there is one. */
  article: { id: number; title: string } | null;
  /** Sign-ups made in the period (double opt-in requests). */
  signups: number;
  /** Of those, confirmed. */
  confirmed: number;
  /** Of those, still active now. */
  active: number;
}

/**
 * Equal articles with different tracking noise (a #comments fragment, utm_* campaign parameters)
 * count as one source. Anything that is not an http(s) URL ("admin", "preferences page") is kept
 * as it is.
 */
export function normaliseSource(source: string | null): string | null {
  if (source === null || !/^https?:\/\//i.test(source) || !URL.canParse(source)) return source;
  const url = new URL(source);
  url.hash = '';
  for (const name of [...url.searchParams.keys()]) if (/^utm_/i.test(name)) url.searchParams.delete(name);
  return url.href;
}

const DAY_MS = 24 * 3600 * 1000;

type SourceRow = { source: string | null; signups: number; confirmed: number | null; active: number | null };

/** The readers whose consent falls in [from, to), grouped by source: for the part of a day at either end of a period. */
const countedAfresh = (db: Database, from: number, to: number) =>
  db.all<SourceRow>(sql`
    select consent_source as source, count(*) as signups,
           sum(confirmed_at is not null) as confirmed, sum(status = 'active') as active
    from subscribers
    where consent_at >= ${from} and consent_at < ${to}
    group by consent_source`);

/**
 * Sign-ups per source article for readers whose consent falls in [from, to): each reader counts
 * once, for the consent they gave in the period (their current consent record: a reader who
 * left and signed up again is counted for the newer sign-up). Most sign-ups first. The whole UTC
 * days of the period are summed from signup_sources (kept by triggers on subscribers); only the
 * part of a day at either end, if any, is counted from the readers.
 */
export async function signupsBySource(db: Database, range: { from: number; to: number }): Promise<SourceSignups[]> {
  const firstDay = Math.ceil(range.from / DAY_MS);
  const endDay = Math.floor(range.to / DAY_MS);
  let rows: SourceRow[];
  if (firstDay >= endDay) rows = await countedAfresh(db, range.from, range.to);
  else {
    rows = await db.all<SourceRow>(sql`
      select case when no_source then null else source end as source, signups, confirmed, active from signup_sources
      where day >= ${firstDay} and day < ${endDay} and signups > 0`);
    if (range.from < firstDay * DAY_MS) rows.push(...(await countedAfresh(db, range.from, firstDay * DAY_MS)));
    if (endDay * DAY_MS < range.to) rows.push(...(await countedAfresh(db, endDay * DAY_MS, range.to)));
  }

  const merged = new Map<string | null, SourceSignups>();
  for (const r of rows) {
    const source = normaliseSource(r.source);
    const into = merged.get(source) ?? { source, article: null, signups: 0, confirmed: 0, active: 0 };
    into.signups += Number(r.signups);
    into.confirmed += Number(r.confirmed ?? 0);
    into.active += Number(r.active ?? 0);
    merged.set(source, into);
  }
  const urls = [...merged.keys()].filter((s): s is string => s !== null && /^https?:/i.test(s));
  if (urls.length) {
    // json_each: any number of URLs in one bound parameter (D1 allows 100 per statement).
    const articles = await db.all<{ id: number; url: string; title: string }>(sql`
      select a.id, a.url, a.title from articles a
      where a.url in (select value from json_each(${JSON.stringify(urls)}))`);
    for (const a of articles) {
      const entry = merged.get(a.url);
      if (entry && !entry.article) entry.article = { id: a.id, title: a.title };
    }
  }
  return [...merged.values()].sort((a, b) => b.signups - a.signups || String(a.source).localeCompare(String(b.source)));
}
