import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseSource } from '../../src/stats/signups';
import { seedArticles } from '../support/factories';
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
});
