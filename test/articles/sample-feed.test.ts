import { afterEach, describe, expect, it } from 'vitest';
import { buildWeeklyDigest } from '../../src/digests/weekly';
import { importSampleFeed } from '../../src/demo/sample-feed';
import { runSendLoop } from '../../src/sending/send-loop';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A digest with no configuration: on the embedded defaults (no FEED_URL, no RESEND_API_KEY) the
 * weekly digest quotes the sample site's own articles, with pictures Broadside serves itself.
 */
let t: TestApp | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

const json = async (r: Response) => ({ status: r.status, body: await r.json() });
const page = async (r: Response) => (await r.text()).replaceAll('<!-- -->', '');

describe('the sample feed', () => {
  it('gives a newcomer a real digest to preview, test-send and send to the outbox', async () => {
    t = await createTestApp();
    const built = await json(await t.admin('/admin/api/digests/weekly', { method: 'POST' }));
    expect(built.status).toBe(201);
    expect(built.body.articleCount).toBeGreaterThanOrEqual(6);
    const id = built.body.campaign.id;

    const html = await page(await t.admin(`/admin/api/campaigns/${id}/preview`));
    const text = await page(await t.admin(`/admin/api/campaigns/${id}/preview?format=text`));
    for (const part of [html, text]) {
      expect(part).toContain('The river is cleaner than it has been in decades');
      expect(part).toContain('The last cobbler on Mill Street hands over the keys');
      expect(part).toContain('http://broadside.test/demo/articles/night-bus');
    }
    const pictures = [...html.matchAll(/<img\b[^>]*src="(http:\/\/broadside\.test\/demo\/images\/[a-z-]+\.svg)"/g)].map((m) => m[1]!);
    expect(pictures.length).toBeGreaterThanOrEqual(6);

    // The pictures and the article pages are served here: nothing comes from the internet.
    const picture = await t.app.request(new URL(pictures[0]!).pathname);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/svg+xml');
    expect(await picture.text()).toMatch(/^<svg [^>]*viewBox="0 0 1200 800"/);
    const article = await t.app.request('/demo/articles/night-bus');
    expect(article.status).toBe(200);
    expect(await article.text()).toContain('The night bus carried 310 people');
    const feed = await t.app.request('/demo/feed/');
    expect(await feed.text()).toContain('<title>The library that stayed open all night during the storm</title>');

    // Test-send and send go to the outbox.
    expect((await t.admin(`/admin/api/campaigns/${id}/test`, { method: 'POST', body: JSON.stringify({ to: ['editor@example.org'] }) })).status).toBe(200);
    await seedReaders(t.db, 2);
    expect((await t.admin(`/admin/api/campaigns/${id}/send`, { method: 'POST' })).status).toBeLessThan(300);
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
    const mail = await t.outbox();
    // One test email and one for each of the two readers.
    expect(mail.filter((m) => m.html.includes("The river is cleaner"))).toHaveLength(3);
  });

  it('is never used with a Resend key: the digest says to set FEED_URL', async () => {
    t = await createTestApp({ env: { RESEND_API_KEY: 're_test_0123456789' } });
    const built = await json(await t.admin('/admin/api/digests/weekly', { method: 'POST' }));
    expect(built.body).toMatchObject({ created: false, reason: expect.stringContaining('set FEED_URL') });
  });

  it('is replaced by the site’s articles once FEED_URL is set', async () => {
    t = await createTestApp();
    await importSampleFeed(t.db, t.config.publicUrl, t.deps.now());
    const withFeed = { ...t.deps, config: { ...t.config, feedUrl: 'https://news.example.org/feed/' } };
    const result = await buildWeeklyDigest(withFeed);
    expect(result).toMatchObject({ created: false, reason: expect.stringContaining('No articles were published') });
  });

  it('is not used once the site has articles of its own', async () => {
    t = await createTestApp();
    const now = new Date(t.deps.now()).toISOString();
    await t.admin('/admin/api/articles', { method: 'POST', body: JSON.stringify({ url: 'https://news.example.org/own/', title: 'Our own story', publishedAt: now }) });
    const built = await json(await t.admin('/admin/api/digests/weekly', { method: 'POST' }));
    expect(built.body).toMatchObject({ created: true, articleCount: 1 });
  });
});
