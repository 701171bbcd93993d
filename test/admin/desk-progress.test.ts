import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pauseCampaign } from '../../src/sending/lifecycle';
import { getCampaign } from '../../src/campaigns/queries';
import { startFeedServer } from '../articles/support/feed-server';
import { seedArticles, seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { addAccount, postForm, signInAs } from './support/desk';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function sendingDigest() {
  await seedReaders(t.db, 250);
  const [a] = await seedArticles(t.db, 1, t.deps.now());
  const id = (await (await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', subject: 'The week in the valley, in brief', articleIds: [a!.id] }) })).json()).id as number;
  await t.admin(`/admin/api/campaigns/${id}/send`, { method: 'POST' });
  return id;
}
const page = async (path: string, cookie: string) => (await t.app.request(path, { headers: { cookie } })).text();

describe('a send in the desk', () => {
  it('shows progress (JSON for the script, a refresh without it), and pauses, resumes and cancels by form', async () => {
    const id = await sendingDigest();
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const html = await page(`/admin/campaigns/${id}`, s.cookie);
    expect(html).toContain(`data-progress="/admin/campaigns/${id}/progress"`);
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="10"/></noscript>');
    const progress = await (await t.app.request(`/admin/campaigns/${id}/progress`, { headers: { cookie: s.cookie } })).json();
    expect(progress).toMatchObject({ status: 'sending', audience: 250, sent: 0, queued: 250, failed: 0 });
    // 3 requests of at most 100 at SEND_RATE 2/s.
    expect(progress.etaSeconds).toBe(2);

    expect((await postForm(t, s, `/admin/campaigns/${id}/pause`)).status).toBe(303);
    expect((await getCampaign(t.db, id))!.status).toBe('paused');
    expect(await page(`/admin/campaigns/${id}`, s.cookie)).not.toContain('Paused by Broadside');
    await postForm(t, s, `/admin/campaigns/${id}/resume`);
    expect((await getCampaign(t.db, id))!.status).toBe('sending');
    await postForm(t, s, `/admin/campaigns/${id}/cancel`);
    expect((await getCampaign(t.db, id))!.status).toBe('cancelled');
    const audit = await t.client.execute('select action from audit_log order by id');
    expect(audit.rows.map((r) => r.action)).toEqual(['campaign.sent', 'campaign.paused', 'campaign.resumed', 'campaign.cancelled']);
  });

  it('a campaign paused by the system says why and what to do', async () => {
    const id = await sendingDigest();
    await pauseCampaign(t.deps, (await getCampaign(t.db, id))!, 'Paused after 12 minutes of failed sends (Resend answered 503). Resume when the provider is back.');
    await addAccount(t, 'viewer@news.example.org', 'viewer');
    const v = await signInAs(t, 'viewer@news.example.org');
    const html = await page(`/admin/campaigns/${id}`, v.cookie);
    expect(html).toContain('Paused by Broadside:');
    expect(html).toContain('Resend answered 503');
    expect(html).toContain('press Resume');
    expect(html).not.toContain('>Resume</button>'); // a viewer has no buttons
  });
});

describe('articles in the desk', () => {
  it('refresh now records the last error; an article is added by hand', async () => {
    const site = await startFeedServer({ '/feed': (_req, res) => res.writeHead(500).end('oops') });
    try {
      t.close();
      t = await createTestApp({ env: { FEED_URL: site.url('/feed') } });
      await addAccount(t, 'editor@news.example.org', 'editor');
      const s = await signInAs(t, 'editor@news.example.org');
      expect((await postForm(t, s, '/admin/articles/refresh')).status).toBe(303);
      const html = await page('/admin/articles', s.cookie);
      expect(html).toMatch(/Last read 2026-11-23 09:00 UTC:.*failed/);
      expect(html).toContain('Last error:');
      const bad = await postForm(t, s, '/admin/articles', { url: 'javascript:alert(1)', title: 'x' });
      expect(bad.status).toBe(303);
      expect((await (await t.admin('/admin/api/articles')).json()).total).toBe(0);
      await postForm(t, s, '/admin/articles', { url: 'https://news.example.org/2026/11/letter', title: 'A letter from the editor', publishedOn: '2026-11-22' });
      const list = await (await t.admin('/admin/api/articles')).json();
      expect(list.articles).toMatchObject([{ title: 'A letter from the editor', url: 'https://news.example.org/2026/11/letter' }]);
    } finally {
      await site.close();
    }
  });
});
