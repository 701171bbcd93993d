import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { readerWhere } from '../../src/subscribers/reader-filter';
import { readerPage, SEARCH_JUMPS, SEARCH_WINDOW, type ReaderPageArgs } from '../../src/subscribers/reader-page';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

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
      const walk = async (args: Partial<ReaderPageArgs>) => {
        const ids: number[] = [];
        let cursor: Partial<ReaderPageArgs> = args;
        for (;;) {
          const page = await readerPage(t.db, { ...filter, limit: 50, ...cursor });
          expect(page.capped).toBe(true);
          if (cursor.after === undefined) ids.push(...page.rows.map((r) => r.id));
          else ids.unshift(...page.rows.map((r) => r.id));
          const next = cursor.after === undefined ? page.older : page.newer;
          if (next === null) return ids;
          cursor = cursor.after === undefined ? { before: next } : { after: next };
        }
      };
      expect(await walk({}), JSON.stringify(filter)).toEqual(sorted);
      expect(await walk({ after: sorted.at(-1)! }), JSON.stringify(filter)).toEqual(sorted.slice(0, -1));
    }
  });
});
