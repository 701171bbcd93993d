import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWordpressSite } from './support/wordpress-site';

/**
 * Broadside pointed at a WordPress 6.x site (see support/wordpress-site.ts and
 * test/fixtures/feeds/wordpress-6/) through each of the addresses an operator might give, then
 * "build this week's digest": what the editor previews and readers get, in both parts.
 */
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
let site: Awaited<ReturnType<typeof startWordpressSite>> | undefined;
let t: TestApp | undefined;
afterEach(async () => {
  t?.close();
  await site?.close();
  site = t = undefined;
});

async function setUp(feedPath: string, options: Parameters<typeof startWordpressSite>[0] = {}) {
  site = await startWordpressSite(options);
  t = await createTestApp({ now: NOW, env: { FEED_URL: `${site.origin}${feedPath}` } });
  return { site, t };
}

const json = async (r: Response) => ({ status: r.status, body: await r.json() });
// React separates adjacent text with empty comments ("By <!-- -->Maja"); a reader sees none.
const page = async (r: Response) => (await r.text()).replaceAll('<!-- -->', '');
const refresh = async () => json(await t!.admin('/admin/api/articles/refresh', { method: 'POST' }));

async function buildDigest() {
  const built = await json(await t!.admin('/admin/api/digests/weekly', { method: 'POST' }));
  expect(built.status).toBe(201);
  const id = built.body.campaign.id as number;
  const html = await page(await t!.admin(`/admin/api/campaigns/${id}/preview`));
  const text = await page(await t!.admin(`/admin/api/campaigns/${id}/preview?format=text`));
  return { id, campaign: built.body.campaign, html, text };
}

describe.each(['/', '/feed/', '/wp-json/wp/v2/posts'])('FEED_URL = the site’s %s', (path) => {
  it('reads the REST API with _embed, every page back to the last digest', async () => {
    await setUp(path);
    const report = await refresh();
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ ok: true, format: 'wordpress-json', pages: 2, found: 12, added: 12 });
    expect(report.body.readUrl).toContain('/wp-json/wp/v2/posts?_embed');

    const digest = await buildDigest();
    // Item 7: the twelfth post, on page 2, is in the digest.
    for (const part of [digest.html, digest.text]) expect(part).toContain('The new night bus, a week on');
    // Item 4: bylines, categories and pictures from _embed.
    for (const part of [digest.html, digest.text]) {
      expect(part).toContain('By Maja Wiśniewska');
      expect(part).toMatch(/Housing &(amp;)? Planning|HOUSING/i);
    }
    expect(digest.html).toContain('/wp-content/uploads/2026/11/ferry-jetty-');
    // Polish letters and the ampersand in a title, decoded once.
    for (const part of [digest.html, digest.text]) expect(part).toMatch(/Łódź &(amp;)?\s?Northgate/);
  });
});

describe('a WordPress site’s digest', () => {
  it('never shows shortcodes, and keeps [sic], [1] and [Updated] (item 1)', async () => {
    await setUp('/wp-json/wp/v2/posts');
    await refresh();
    const { html, text } = await buildDigest();
    for (const part of [html, text]) {
      expect(part).not.toMatch(/fusion_|\[\/?[a-z_]+[^\]]*=/);
      expect(part).toContain('Diggers arrived at the harbour on Tuesday');
      expect(part).toContain('[Updated] School streets');
      expect(part).toMatch(/welcomes feedback \[sic\]/);
      expect(part).toContain('drop-off time.[1]');
    }
  });

  it('takes no emoji for a picture, from the feed or the API (item 3)', async () => {
    await setUp('/feed/', { rest: false });
    const report = await refresh();
    expect(report.body).toMatchObject({ ok: true, format: 'rss' });
    expect(report.body.readUrl).toMatch(/\/feed\/$/);
    const { campaign, html, text } = await buildDigest();
    expect(html).not.toContain('s.w.org/images/core/emoji');
    // The emoji stays a character in the story's text, in both parts.
    for (const part of [html, text]) expect(part).toContain('This week’s post bag 📬 is full');
    // The lead is a story, not the letters page with its emoji.
    expect(campaign.subject).not.toContain('letters');
  });

  it('falls back to /feed/ when the site has no REST API (item 4)', async () => {
    await setUp('/', { rest: false });
    const report = await refresh();
    expect(report.body).toMatchObject({ ok: true, format: 'rss', found: 10 });
    expect(report.body.readUrl).toMatch(/\/feed\/$/);
  });

  it('gives each picture slot the smallest sharp size, with its width and height (item 5)', async () => {
    await setUp('/wp-json/wp/v2/posts');
    await refresh();
    const { html } = await buildDigest();
    const images = [...html.matchAll(/<img\b[^>]*src="([^"]+)"[^>]*>/g)].map((m) => m[0]);
    const lead = images.find((i) => i.includes('bridge-deck'))!;
    // Shown 552 px wide: the 1536 px rendition (the smallest of at least 1104 px), 9:6 box.
    expect(lead).toContain('bridge-deck-1536x1024.jpg');
    expect(lead).toMatch(/width="552"/);
    expect(lead).toMatch(/height="368"/);
    // Thumbnails are 112 px: the 300 px rendition (not the square 150 px crop, not 1536 px).
    const thumb = images.find((i) => i.includes('ferry-jetty'))!;
    expect(thumb).toContain('ferry-jetty-300x200.jpg');
    expect(thumb).toMatch(/width="112"/);
    expect(thumb).toMatch(/height="75"/);
  });

  it('withdraws a trashed post: out of the draft with a note, out of the archive, re-checked at send (item 2)', async () => {
    const { site } = await setUp('/wp-json/wp/v2/posts');
    await refresh();
    const first = await buildDigest();
    expect(first.html).toContain('Mill Bridge to close');

    // The editor trashes the bridge story: gone from the API, its permalink answers 404.
    site.state.trashed.add(112);
    const report = await refresh();
    expect(report.body.withdrawn).toEqual([expect.objectContaining({ title: 'Mill Bridge to close for six weeks from Monday', reason: expect.stringContaining('404') })]);
    const listed = (await json(await t!.admin('/admin/api/articles?limit=50'))).body.articles as { title: string; withdrawn: unknown }[];
    expect(listed.find((a) => a.title.startsWith('Mill Bridge'))!.withdrawn).toEqual({ at: new Date(NOW).toISOString(), reason: expect.stringContaining('404') });
    const campaign = (await json(await t!.admin(`/admin/api/campaigns/${first.id}`))).body;
    expect(campaign.withdrawn).toEqual([expect.objectContaining({ title: 'Mill Bridge to close for six weeks from Monday', reason: expect.stringContaining('404') })]);
    expect(campaign.subject).toContain('Mill Bridge'); // the subject is the editor's to change
    const html = await page(await t!.admin(`/admin/api/campaigns/${first.id}/preview`));
    const text = await page(await t!.admin(`/admin/api/campaigns/${first.id}/preview?format=text`));
    for (const part of [html, text]) {
      expect(part).not.toContain('Mill Bridge to close');
      expect(part).toContain('Ferry fares');
    }

    // Between the last refresh and the send, the ferry story goes too: the send re-checks.
    site.state.trashed.add(111);
    const sent = await t!.admin(`/admin/api/campaigns/${first.id}/send`, { method: 'POST' });
    expect(sent.status).toBeLessThan(300);
    const after = (await json(await t!.admin(`/admin/api/campaigns/${first.id}`))).body;
    expect(after.withdrawn.map((w: { title: string }) => w.title)).toContain('Ferry fares: “free for under-16s” – and who pays for it');
    const archived = await page(await t!.app.request(`/archive/${first.id}`));
    expect(archived).toContain('Harbour works start');
    expect(archived).not.toContain('Ferry fares');
    expect(archived).not.toContain('Mill Bridge to close');
  });

  it('asks with validators WordPress answers 304 to, behind Apache’s -gzip ETags (item 8)', async () => {
    const { site } = await setUp('/feed/', { rest: false });
    expect((await refresh()).body).toMatchObject({ notModified: false, added: 10 });
    expect((await refresh()).body).toMatchObject({ notModified: true });
    expect(site.state.fullBodies).toBe(1);
    // A change on the site (a post trashed) changes Last-Modified and the ETag: read in full.
    site.state.trashed.add(101);
    site.state.trashed.add(112);
    expect((await refresh()).body).toMatchObject({ notModified: false });
    expect(site.state.fullBodies).toBe(2);
  });
});
