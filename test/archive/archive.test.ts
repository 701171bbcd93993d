import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/sending/send-loop';
import { seedArticles, seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/** The web archive: sent digests as pages, and "view in browser" for what readers received. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { TRACK_CLICKS: 'false' } });
});
afterEach(() => t.close());

async function sentDigest(subject: string) {
  const articles = await seedArticles(t.db, 3, t.deps.now());
  const created = await (
    await t.admin('/admin/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({ kind: 'digest', subject, intro: 'Good morning from the newsroom.', articleIds: articles.map((a) => a.id) }),
    })
  ).json();
  await t.admin(`/admin/api/campaigns/${created.id}/send`, { method: 'POST' });
  await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
  return created.id as number;
}

describe('web archive', () => {
  it('lists sent digests, newest first, and not drafts or appeals', async () => {
    await seedReaders(t.db, 2, { name: 'Ada Lovelace' });
    const first = await sentDigest('The week of the river park');
    t.advance(7 * 24 * 3600_000);
    const second = await sentDigest('The week of the budget');
    await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', subject: 'A draft nobody saw' }) });
    const res = await t.app.request('/archive');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf(`/archive/${second}`)).toBeGreaterThan(-1);
    expect(html.indexOf(`/archive/${second}`)).toBeLessThan(html.indexOf(`/archive/${first}`));
    expect(html).not.toContain('A draft nobody saw');
  });

  it('shows what readers got, with generic links and no reader’s name or token', async () => {
    await seedReaders(t.db, 2, { name: 'Ada Lovelace' });
    const id = await sentDigest('The week of the river park');
    const [received] = await t.outbox();
    expect(received!.html).toContain('Ada Lovelace');

    const page = await (await t.app.request(`/archive/${id}`)).text();
    expect(page).toContain('Good morning from the newsroom.');
    expect(page).toContain('the council meets again');
    expect(page).not.toContain('Ada Lovelace');
    expect(page).not.toMatch(/\/(unsubscribe|preferences)\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(page).toContain('http://broadside.test/unsubscribe"');
    // The generic unsubscribe link explains where the reader's own link is.
    expect(await (await t.app.request('/unsubscribe')).text()).toContain('link at the bottom');
  });

  it('is 404 for drafts and unknown ids, never an error page', async () => {
    const draft = await (await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', subject: 'Draft' }) })).json();
    for (const path of [`/archive/${draft.id}`, '/archive/999', '/archive/abc', '/archive/-1']) {
      expect((await t.app.request(path)).status).toBe(404);
    }
  });
});
