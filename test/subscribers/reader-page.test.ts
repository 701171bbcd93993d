import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readerPage, SEARCH_WINDOW } from '../../src/subscribers/reader-page';
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
});
