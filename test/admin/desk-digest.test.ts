import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addArticle } from '../../src/articles/queries';
import { startFeedServer, type FeedServer } from '../articles/support/feed-server';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { addAccount, postForm, signInAs } from './support/desk';

/**
 * The desk's digest flow through its forms (as a browser without JavaScript posts them):
 * build, curate, preflight, test-send, confirm, send. The site and its articles are a local
 * server, so the link check asks real HTTP and nothing leaves the machine.
 */
let site: FeedServer;
let t: TestApp;
beforeAll(async () => {
  const ok = (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
  site = await startFeedServer({
    '/': ok,
    '/a': ok,
    '/b': ok,
    '/c': ok,
    '/donate': ok,
    '/gone': (_req, res) => res.writeHead(404).end(),
  });
});
afterAll(() => site.close());
beforeEach(async () => {
  t = await createTestApp({ env: { SITE_URL: site.url('') } });
});
afterEach(() => t.close());

async function seedWeek() {
  const now = t.deps.now();
  for (const [i, slug] of ['a', 'b', 'c'].entries()) {
    await addArticle(t.db, { url: site.url(`/${slug}`), title: `Story ${slug.toUpperCase()}: the council meets`, excerpt: 'What happened.', publishedAt: now - (i + 1) * 3600_000 }, now);
  }
}

const page = async (path: string, cookie: string) => (await t.app.request(path, { headers: { cookie } })).text();
const statusOf = async (id: number) => (await (await t.admin(`/admin/api/campaigns/${id}`)).json()).status;
const order = (html: string) => [...html.matchAll(/data-article-id="(\d+)"/g)].map((m) => Number(m[1]));

describe('the weekly digest in the desk', () => {
  it('build, reorder, remove, feature, fix a preflight failure, test-send, confirm with the audience size, send', async () => {
    await seedWeek();
    await seedReaders(t.db, 3);
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');

    const built = await postForm(t, s, '/admin/digest/build');
    expect(built.status).toBe(303);
    const href = built.headers.get('location')!;
    expect(href).toMatch(/^\/admin\/campaigns\/\d+$/);
    const id = Number(href.split('/').pop());
    const first = order(await page(href, s.cookie));
    expect(first).toHaveLength(3);

    await postForm(t, s, `${href}/articles/${first[0]}/down`);
    expect(order(await page(href, s.cookie))).toEqual([first[1], first[0], first[2]]);
    await postForm(t, s, `${href}/articles/${first[2]}/remove`);
    await postForm(t, s, `${href}/articles/${first[0]}/feature`);
    const api = await (await t.admin(`/admin/api/campaigns/${id}`)).json();
    expect(api.articleIds).toEqual([first[1], first[0]]);
    expect(api.featuredId).toBe(first[0]);

    // An intro with a "to come" mark fails the preflight; sending is refused until it is fixed.
    expect((await postForm(t, s, `${href}/content`, { subject: 'This week: the council, the river and the park', intro: 'Good morning. TK: the mayor\u2019s answer.' })).status).toBe(303);
    const check = await page(`${href}/send`, s.cookie);
    expect(check).toMatch(/data-check="placeholders" data-ok="false"/);
    expect(check).toMatch(/data-check="links" data-ok="true"/);
    const refused = await postForm(t, s, `${href}/send`, { step: 'review', when: 'now' });
    expect(refused.status).toBe(303);
    expect((await statusOf(id))).toBe('draft');
    await postForm(t, s, `${href}/content`, { subject: 'This week: the council, the river and the park', intro: 'Good morning. The mayor answered.' });
    expect(await page(`${href}/send`, s.cookie)).toMatch(/data-check="placeholders" data-ok="true"/);

    const test = await postForm(t, s, `${href}/test`, { to: 'editor@news.example.org' });
    expect(test.status).toBe(303);
    expect((await t.outbox()).map((m) => m.subject)).toContain('[Test] This week: the council, the river and the park');

    const review = await postForm(t, s, `${href}/send`, { step: 'review', when: 'now' });
    expect(review.status).toBe(200);
    const confirm = await review.text();
    expect(confirm).toContain('Send to 3 readers now?');
    expect((await statusOf(id))).toBe('draft');
    const sent = await postForm(t, s, `${href}/send`, { step: 'confirm' });
    expect(sent.status).toBe(303);
    expect((await statusOf(id))).toBe('sending');
    expect(await page(href, s.cookie)).toContain('data-progress=');
  });

  it('a broken link fails the preflight and can be acknowledged; an empty audience cannot', async () => {
    const now = t.deps.now();
    await addArticle(t.db, { url: site.url('/gone'), title: 'A story the site withdrew', publishedAt: now - 3600_000 }, now);
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const href = (await postForm(t, s, '/admin/digest/build')).headers.get('location')!;
    const check = await page(`${href}/send`, s.cookie);
    expect(check).toMatch(/data-check="links" data-ok="false"/);
    expect(check).toContain('/gone — answers 404');
    expect(check).toMatch(/data-check="audience" data-ok="false"/);
    const res = await postForm(t, s, `${href}/send`, { step: 'review', when: 'now', ack: 'links' });
    expect(res.status).toBe(303); // still refused: nobody to send to
    await seedReaders(t.db, 2);
    const ok = await t.app.request(`${href}/send`, {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://broadside.test', 'sec-fetch-site': 'same-origin' },
      body: `_csrf=${s.csrf}&step=review&when=now&ack=links&ack=subject`,
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Send to 2 readers now?');
  });

  it('schedules in SITE_TIMEZONE and shows the UTC time too', async () => {
    t.close();
    t = await createTestApp({ env: { SITE_URL: site.url(''), SITE_TIMEZONE: 'Europe/Berlin' } });
    await seedWeek();
    await seedReaders(t.db, 1);
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const href = (await postForm(t, s, '/admin/digest/build')).headers.get('location')!;
    await postForm(t, s, `${href}/content`, { subject: 'This week: the council, the river and the park', intro: '' });
    const review = await postForm(t, s, `${href}/send`, { step: 'review', when: 'later', at: '2026-11-30T08:00' });
    const html = await review.text();
    expect(html).toContain('2026-11-30 08:00 Europe/Berlin (07:00 UTC)');
    const at = /name="at_utc" value="(\d+)"/.exec(html)![1]!;
    expect(new Date(Number(at)).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    await postForm(t, s, `${href}/send`, { step: 'confirm', at_utc: at });
    const api = await (await t.admin(href.replace('/admin/', '/admin/api/'))).json();
    expect(api).toMatchObject({ status: 'scheduled', scheduledAt: '2026-11-30T07:00:00.000Z' });
  });

  it('a viewer sees the digest but has no buttons, and its posts are refused', async () => {
    await seedWeek();
    await addAccount(t, 'viewer@news.example.org', 'viewer');
    const v = await signInAs(t, 'viewer@news.example.org');
    expect((await postForm(t, v, '/admin/digest/build')).status).toBe(403);
    const html = await page('/admin/digest', v.cookie);
    expect(html).not.toContain('Build this week');
  });
});
