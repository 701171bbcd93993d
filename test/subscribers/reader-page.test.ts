import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readerWhere } from '../../src/subscribers/reader-filter';
import { readerPage, SEARCH_JUMPS, SEARCH_PROBE, SEARCH_WINDOW, type ReaderPageArgs } from '../../src/subscribers/reader-page';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/**
 * Every page of a filter, both ways (older from the top, newer from `after`), as ids newest first.
 * `total`: the filter's matches, when each page's capped count is to be checked against it.
 */
async function walk(filter: Partial<ReaderPageArgs>, args: Partial<ReaderPageArgs>, limit = 50, total?: number): Promise<number[]> {
  const ids: number[] = [];
  let cursor: Partial<ReaderPageArgs> = args;
  for (;;) {
    const page = await readerPage(t.db, { ...filter, limit, ...cursor });
    if (total !== undefined) expect({ matched: page.matched, capped: page.capped }, JSON.stringify({ filter, cursor })).toEqual({ matched: Math.min(total, 1000), capped: total > 1000 });
    if (cursor.after === undefined) ids.push(...page.rows.map((r) => r.id));
    else ids.unshift(...page.rows.map((r) => r.id));
    const next = cursor.after === undefined ? page.older : page.newer;
    if (next === null) return ids;
    cursor = cursor.after === undefined ? { before: next } : { after: next };
  }
}

// The matches as each reader's row is tested ("rows": no index chosen, the search and tag tested
// as written), newest first: what every way of reading a page must agree with.
const sortedIds = async (filter: Partial<ReaderPageArgs>) =>
  (await t.db.all<{ id: number }>(sql`select id from subscribers where ${readerWhere(filter, 'rows') ?? sql`1`} order by id desc`)).map((r) => r.id);

describe('pages of a search with more matches than the count cap', () => {
  it('are the same whether a page lies among the readers next to the cursor or far from it, both ways', async () => {
    // Old matches, a gap wider than the window that a dense search looks through first, and a
    // few recent matches: the first page is found in the window, the second is not (it spans the
    // gap), the later ones are again.
    const old = await seedReaders(t.db, 1100, { prefix: 'dense' });
    await seedReaders(t.db, SEARCH_WINDOW + 100, { prefix: 'other' });
    const recent = await seedReaders(t.db, 60, { prefix: 'dense' });
    const newestFirst = [...old, ...recent].sort((a, b) => b - a);

    const older: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await readerPage(t.db, { q: 'dense', limit: 50, before });
      expect(page.capped).toBe(true);
      older.push(...page.rows.map((r) => r.id));
      if (page.older === null) break;
      before = page.older;
    }
    expect(older).toEqual(newestFirst);

    const newer: number[] = [];
    let after: number | undefined = old[0];
    while (after !== undefined) {
      const page = await readerPage(t.db, { q: 'DENSE', limit: 50, after });
      newer.unshift(...page.rows.map((r) => r.id));
      after = page.newer ?? undefined;
    }
    expect(newer).toEqual(newestFirst.slice(0, -1));
  });

  it('are the sorted read\u2019s when the matches lie far apart, found through each index, with and without other filters', async () => {
    // Old matches, then lone matches (by address, by mailbox only, by a later word of the name)
    // each behind a gap wider than the window, more of them than the search jumps over.
    const gap = () => seedReaders(t.db, SEARCH_WINDOW + 100, { prefix: 'other' });
    const old = await seedReaders(t.db, 1600, { prefix: 'dense' });
    await t.db.run(sql`update subscribers set status = 'unsubscribed' where id % 4 = 0 and id <= ${old.at(-1)}`);
    await gap();
    await seedReaders(t.db, 3, { prefix: 'dense' });
    await gap();
    await t.db.run(sql`insert into subscribers (email, mailbox, status) values ('DENSE.Caps@example.org', 'dense.caps@example.org', 'active')`);
    await gap();
    await seedReaders(t.db, 1, { prefix: 'zz', name: 'Ann Dense' });
    await gap();
    await seedReaders(t.db, 2, { prefix: 'dense' });
    expect(SEARCH_JUMPS).toBeLessThan(4);

    for (const filter of [{ q: 'dense' }, { q: 'Dense', status: 'active' as const }]) {
      const sorted = (await t.db.all<{ id: number }>(sql`select id from subscribers where ${readerWhere(filter)} order by id desc`)).map((r) => r.id);
      expect(sorted.length).toBeGreaterThan(1000);
      expect(await walk(filter, {}), JSON.stringify(filter)).toEqual(sorted);
      expect(await walk(filter, { after: sorted.at(-1)! }), JSON.stringify(filter)).toEqual(sorted.slice(0, -1));
    }
  });

  it('with a status, source, topic or tag are the sorted read’s, whether the search or the filter is the rarer, across gaps wider than the window', async () => {
    // More search matches and more active readers than the probe counts, so a search among
    // active readers walks windows and jumps by both indexes; between the windows, gaps of
    // readers that match only the search or only the status, so that a jump by either alone
    // lands short of the next match, and one past it skips it.
    const gap = (o: Parameters<typeof seedReaders>[2]) => seedReaders(t.db, SEARCH_WINDOW + 100, o);
    const old = await seedReaders(t.db, SEARCH_PROBE + 200, { prefix: 'dense' });
    await t.db.run(sql`update subscribers set status = 'bounced' where id % 97 = 0 and id <= ${old.at(-1)}`);
    await t.db.run(sql`update subscribers set consent_source = 'https://news.example.org/a', tags = '["donor"]', wants_digest = 0 where id % 7 = 0 and id <= ${old.at(-1)}`);
    await gap({ prefix: 'other' });
    await seedReaders(t.db, 3, { prefix: 'dense', status: 'unsubscribed' });
    await gap({ prefix: 'dense', status: 'pending' });
    await seedReaders(t.db, 2, { prefix: 'dense', status: 'bounced' });
    await seedReaders(t.db, 2, { prefix: 'dense' });
    await gap({ prefix: 'other' });
    await seedReaders(t.db, 1, { prefix: 'dense', tags: ['donor'] });
    await gap({ prefix: 'other', status: 'unsubscribed' });
    await seedReaders(t.db, 2, { prefix: 'dense', status: 'bounced' });
    await seedReaders(t.db, 1, { prefix: 'dense' });
    await t.db.run(sql`update subscribers set consent_source = 'https://news.example.org/a' where id % 5 = 0 and id > ${old.at(-1)}`);

    const filters: Partial<ReaderPageArgs>[] = [
      { q: 'dense', status: 'active' }, // both common: windows and jumps
      { q: 'Dense', status: 'bounced' }, // a rare status: read through its index
      { q: 'dense', status: 'pending' }, // a status found only in one gap
      { q: 'dense', status: 'unsubscribed' },
      { q: '@example.org', status: 'bounced' }, // every reader matches the search
      { q: 'dense', source: 'https://news.example.org/a' },
      { q: 'dense', status: 'active', source: 'https://news.example.org/a' },
      { q: 'dense', topic: 'digest' },
      { q: 'dense', status: 'active', tag: 'donor' },
    ];
    const [{ email } = { email: '' }] = await t.db.all<{ email: string }>(sql`select email from subscribers where id = ${old[0]}`);
    filters.push({ q: `${email.split('@')[0]}2`, status: 'active' }); // a rare search (111 readers) among a common status
    for (const filter of filters) {
      const sorted = await sortedIds(filter);
      expect(sorted.length, JSON.stringify(filter)).toBeGreaterThan(0);
      // About a dozen pages each way, the last of them short.
      for (const limit of [Math.ceil(sorted.length / 12) + 1, 7].filter((l, i, all) => all.indexOf(l) === i && sorted.length / l < 40)) {
        expect(await walk(filter, {}, limit), JSON.stringify({ filter, limit })).toEqual(sorted);
        expect(await walk(filter, { after: sorted.at(-1)! }, limit), JSON.stringify({ filter, limit })).toEqual(sorted.slice(0, -1));
      }
      const first = await readerPage(t.db, { ...filter, limit: 50 });
      expect({ matched: first.matched, capped: first.capped }, JSON.stringify(filter)).toEqual({ matched: Math.min(sorted.length, 1000), capped: sorted.length > 1000 });
    }
  });

  it('with a tag, rare or common, alone or with a search, status or source, are the sorted read’s both ways', async () => {
    // "many" on more readers than the probe counts (a walk down its index, with jumps), "rare"
    // on a few (read through subscriber_tags), spread over old readers, gaps wider than the
    // window and recent readers; statuses and a source cut across them.
    const gap = (o: Parameters<typeof seedReaders>[2]) => seedReaders(t.db, SEARCH_WINDOW + 100, o);
    await seedReaders(t.db, SEARCH_PROBE + 200, { prefix: 'dense' });
    await gap({ prefix: 'other', status: 'pending' });
    await seedReaders(t.db, 300, { prefix: 'dense', status: 'unsubscribed' });
    await gap({ prefix: 'other' });
    await seedReaders(t.db, 40, { prefix: 'dense' });
    await t.db.run(sql`update subscribers set tags = '["many"]' where id % 3 <> 0`);
    await t.db.run(sql`update subscribers set tags = '["many","rare"]' where id % 211 = 5`);
    await t.db.run(sql`update subscribers set tags = '["rare"]' where id % 401 = 7`);
    await t.db.run(sql`update subscribers set consent_source = 'https://news.example.org/a' where id % 5 = 0`);
    await t.db.run(sql`update subscribers set status = 'bounced' where id % 13 = 0`);
    const [{ n } = { n: 0 }] = await t.db.all<{ n: number }>(sql`select count(*) as n from subscriber_tags where tag = 'many'`);
    expect(n).toBeGreaterThan(SEARCH_PROBE);

    const source = 'https://news.example.org/a';
    const filters: Partial<ReaderPageArgs>[] = [
      { tag: 'many' },
      { tag: 'rare' },
      { tag: 'nobody' },
      { tag: 'many', status: 'pending' }, // both common, found in one gap only
      { tag: 'many', status: 'bounced' },
      { tag: 'rare', status: 'active' },
      { tag: 'many', source },
      { tag: 'many', status: 'unsubscribed', source },
      { q: 'dense', tag: 'many' },
      { q: 'dense', tag: 'rare' },
      { q: 'dense', tag: 'many', status: 'active' },
      { q: 'dense', tag: 'many', status: 'unsubscribed' },
      { q: 'other', tag: 'many', status: 'pending' },
      { q: '@example.org', tag: 'rare', source },
      { q: 'dense', tag: 'many', topic: 'appeals' },
      { tag: 'many', topic: 'digest' }, // a topic is tested on the tag's readers' rows
      { tag: 'rare', status: 'bounced', topic: 'appeals' },
      { tag: 'many', status: 'active', source, topic: 'appeals' },
    ];
    // Readers with a mailbox (as seeded), then a third without one, as rows from before the
    // column: a search reads the mailbox's index for the address's and the address for those
    // (src/subscribers/reader-filter.ts).
    const searches = filters.filter((f) => f.q);
    for (const filter of [...filters, 'legacy' as const, ...searches]) {
      if (filter === 'legacy') {
        await t.db.run(sql`update subscribers set mailbox = null where id % 3 = 1`);
        continue;
      }
      const sorted = await sortedIds(filter);
      // About ten pages each way, the last of them short.
      const limit = Math.max(7, Math.ceil(sorted.length / 10) + 1);
      expect(await walk(filter, {}, limit, sorted.length), JSON.stringify({ filter, limit })).toEqual(sorted);
      if (sorted.length) expect(await walk(filter, { after: sorted.at(-1)! }, limit, sorted.length), JSON.stringify({ filter, limit })).toEqual(sorted.slice(0, -1));
      const first = await readerPage(t.db, { ...filter, limit: 50 });
      expect(first.rows.map((r) => r.id), JSON.stringify(filter)).toEqual(sorted.slice(0, 50));
      expect({ matched: first.matched, capped: first.capped }, JSON.stringify(filter)).toEqual({ matched: Math.min(sorted.length, 1000), capped: sorted.length > 1000 });
    }
  }, 120_000); // some 50 walks over 15,740 readers: seconds on a loaded machine

  it('of a dense search with a common tag, whose tagged matches are more than the probe counts, are the sorted read’s both ways', async () => {
    // The tag on nearly every reader and the search on more tagged readers than SEARCH_PROBE, so
    // neither side is read alone: the page walks the tag's readers and jumps through the tagged
    // readers' mailboxes (subscribers_tagged_mailbox_idx). Between the matches, gaps wider than
    // the windows of tagged readers the search misses, and of untagged readers it matches (which
    // a jump through every mailbox would land on).
    const gap = (o: Parameters<typeof seedReaders>[2]) => seedReaders(t.db, SEARCH_WINDOW + 100, o);
    await seedReaders(t.db, SEARCH_PROBE + 300, { prefix: 'dense', tags: ['many'] });
    await gap({ prefix: 'other', tags: ['many'] });
    await seedReaders(t.db, 3, { prefix: 'dense', tags: ['many', 'rare'] });
    await gap({ prefix: 'dense' });
    await seedReaders(t.db, 2, { prefix: 'dense', tags: ['many'], status: 'unsubscribed' });
    await gap({ prefix: 'other', tags: ['many'] });
    await seedReaders(t.db, 2, { prefix: 'dense', tags: ['many'] });
    await t.db.run(sql`update subscribers set status = 'bounced', wants_appeals = 0 where id % 11 = 0`);
    const filters: Partial<ReaderPageArgs>[] = [
      { q: 'dense', tag: 'many' },
      { q: 'dense', tag: 'many', status: 'active' },
      { q: 'dense', tag: 'many', status: 'unsubscribed' },
      { q: 'Dense', tag: 'many', topic: 'appeals' },
      { q: 'dense', tag: 'rare' },
    ];
    for (const legacy of [false, true]) {
      // Then a third of readers without a mailbox: their addresses are searched on their rows.
      if (legacy) await t.db.run(sql`update subscribers set mailbox = null where id % 3 = 1`);
      for (const filter of filters) {
        const sorted = await sortedIds(filter);
        expect(sorted.length, JSON.stringify(filter)).toBeGreaterThan(0);
        for (const limit of [50, Math.ceil(sorted.length / 8) + 1]) {
          expect(await walk(filter, {}, limit, sorted.length), JSON.stringify({ filter, limit, legacy })).toEqual(sorted);
          expect(await walk(filter, { after: sorted.at(-1)! }, limit, sorted.length), JSON.stringify({ filter, limit, legacy })).toEqual(sorted.slice(0, -1));
        }
      }
    }
  }, 120_000);
});
