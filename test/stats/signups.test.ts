import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { normaliseSource, signupsBySource } from '../../src/stats/signups';
import { seedArticles, seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const subscribe = (email: string, source?: string, referer?: string) =>
  t.app.request('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(referer ? { referer } : {}) },
    body: JSON.stringify({ email, ...(source ? { source } : {}) }),
  });

describe('GET /admin/api/stats/signups', () => {
  it('counts sign-ups per source article in the period, with confirmations and the article title', async () => {
    const [article] = await seedArticles(t.db, 1, t.deps.now());
    const river = 'https://news.example.org/2026/river';
    await subscribe('a@example.net', article!.url);
    await subscribe('b@example.net', `${article!.url}?utm_source=footer&utm_medium=form#subscribe`);
    await subscribe('c@example.net', undefined, `${article!.url}#comments`); // the Referer counts too
    await subscribe('d@example.net', river);
    await subscribe('e@example.net');

    // One of them confirms.
    const confirmation = (await t.outbox()).find((m) => m.to === 'a@example.net')!;
    await t.app.request(pathOf(linkIn(confirmation.html, '/confirm')), { method: 'POST' });

    // A sign-up long after the period is not counted.
    t.advance(40 * 24 * 3600_000);
    await subscribe('late@example.net', river);

    const res = await t.admin('/admin/api/stats/signups?from=2026-11-01&to=2026-11-30');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', total: 5 });
    expect(body.sources).toEqual([
      { source: article!.url, article: { id: article!.id, title: article!.title }, signups: 3, confirmed: 1, active: 1 },
      { source: river, article: null, signups: 1, confirmed: 0, active: 0 },
      { source: null, article: null, signups: 1, confirmed: 0, active: 0 },
    ]);

    const later = await (await t.admin('/admin/api/stats/signups')).json();
    expect(later.sources).toEqual([{ source: river, article: null, signups: 1, confirmed: 0, active: 0 }]);
  });

  it('refuses a bad period with 400', async () => {
    expect((await t.admin('/admin/api/stats/signups?from=yesterday')).status).toBe(400);
    expect((await t.admin('/admin/api/stats/signups?from=2026-11-30&to=2026-11-01')).status).toBe(400);
    expect((await t.app.request('/admin/api/stats/signups')).status).toBe(401);
  });

  it('treats the same article with tracking parameters or a fragment as one source', () => {
    expect(normaliseSource('https://news.example.org/a?utm_campaign=x&id=3#top')).toBe('https://news.example.org/a?id=3');
    expect(normaliseSource('admin')).toBe('admin');
    expect(normaliseSource(null)).toBeNull();
  });

  it('sums whole days from the running totals by day and source, and agrees with the readers counted afresh after writes by hand', async () => {
    const DAY = 24 * 3600_000;
    const day0 = Date.UTC(2026, 10, 2);
    const ids = await seedReaders(t.db, 5);
    const a = 'https://news.example.org/a';
    const b = 'https://news.example.org/b?utm_source=x';
    const at = [day0 + 5, day0 + DAY - 1, day0 + DAY, day0 + 2 * DAY + 7, day0 + 3 * DAY + 1];
    const sources = [a, a, null, b, 'admin'];
    for (const [i, id] of ids.entries()) await t.db.run(sql`update subscribers set consent_at = ${at[i]}, consent_source = ${sources[i]} where id = ${id}`);
    await t.db.run(sql`insert into subscribers (email, status, consent_at, consent_source) values ('p@example.org', 'pending', ${day0 + DAY + 9}, null), ('q@example.org', 'pending', ${day0 + 2 * DAY}, ${a}), ('e@example.org', 'active', ${day0 + 9}, '')`);
    // Moved, unconfirmed, left, deleted, renamed (not counted as a change).
    await t.db.run(sql`update subscribers set consent_source = ${b} where id = ${ids[1]}`);
    await t.db.run(sql`update subscribers set confirmed_at = null where id = ${ids[0]}`);
    await t.db.run(sql`update subscribers set status = 'unsubscribed' where id = ${ids[3]}`);
    await t.db.run(sql`update subscribers set consent_at = null where id = ${ids[4]}`);
    await t.db.run(sql`update subscribers set name = 'Renamed' where id = ${ids[2]}`);
    await t.db.run(sql`delete from subscribers where email = 'q@example.org'`);

    const fresh = async (from: number, to: number) => {
      const rows = await t.db.all<{ source: string | null; signups: number; confirmed: number; active: number }>(sql`
        select consent_source as source, count(*) as signups, count(confirmed_at) as confirmed, sum(status = 'active') as active
        from subscribers where consent_at >= ${from} and consent_at < ${to} group by consent_source`);
      const by = new Map<string | null, { signups: number; confirmed: number; active: number }>();
      for (const r of rows) {
        const key = normaliseSource(r.source);
        const into = by.get(key) ?? { signups: 0, confirmed: 0, active: 0 };
        by.set(key, { signups: into.signups + Number(r.signups), confirmed: into.confirmed + Number(r.confirmed), active: into.active + Number(r.active) });
      }
      return Object.fromEntries([...by].map(([k, v]) => [String(k), v]));
    };
    const counted = async (from: number, to: number) =>
      Object.fromEntries((await signupsBySource(t.db, { from, to })).map((r) => [String(r.source), { signups: r.signups, confirmed: r.confirmed, active: r.active }]));
    // Whole days, part of a day at either end, within one day.
    for (const [from, to] of [
      [day0, day0 + 4 * DAY],
      [day0 + 6, day0 + 2 * DAY + 8],
      [day0 - DAY / 2, day0 + DAY],
      [day0 + DAY + 1, day0 + DAY + 10],
      [day0 + 3 * DAY, day0 + 4 * DAY],
    ] as const) expect(await counted(from, to), `${from - day0}..${to - day0}`).toEqual(await fresh(from, to));
    expect(await counted(day0, day0 + 4 * DAY)).toEqual({
      [a]: { signups: 1, confirmed: 0, active: 1 },
      'https://news.example.org/b': { signups: 2, confirmed: 2, active: 1 },
      null: { signups: 2, confirmed: 1, active: 1 },
      '': { signups: 1, confirmed: 0, active: 1 }, // an empty source is not the same as none
    });
  });
});
