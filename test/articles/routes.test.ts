import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { articleRoutes } from '../../src/articles/routes';
import { parseConfig } from '../../src/config';
import { openLibsql } from '../../src/db/libsql';
import type { Logger } from '../../src/deps';
import { onError } from '../../src/http/on-error';
import { serve, startFeedServer, type FeedServer } from './support/feed-server';
import { fixture } from './support/fixtures';

const NOW = Date.UTC(2024, 4, 12, 7, 0, 0);
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The article routes on a real database, mounted where the app mounts them. */
async function setup(env: Record<string, string> = {}) {
  const { db, client } = await openLibsql(':memory:');
  cleanups.push(() => client.close());
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  const deps = { config: parseConfig(env), db, logger, now: () => NOW };
  const app = new Hono();
  app.onError(onError(deps));
  app.route('/admin/api/articles', articleRoutes(deps));
  // "/" is the mount point itself: /admin/api/articles, without a trailing slash.
  const request = (path: string, init?: RequestInit) =>
    app.request(`/admin/api/articles${path.replace(/^\/(?=\?|$)/, '')}`, init);
  const post = (path: string, body: unknown) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { request, post, logs };
}

async function feedServer(routes: Parameters<typeof startFeedServer>[0]): Promise<FeedServer> {
  const server = await startFeedServer(routes);
  cleanups.push(() => server.close());
  return server;
}

describe('POST /refresh', () => {
  it('fetches the feed and reports what changed', async () => {
    const server = await feedServer({ '/feed/': serve(fixture('one-broken-item.xml')) });
    const { post, request } = await setup({ FEED_URL: server.url('/feed/') });

    const first = await post('/refresh', {});
    expect(first.status).toBe(200);
    const report = await first.json();
    expect(report).toMatchObject({ ok: true, format: 'rss', found: 2, added: 2, updated: 0, unchanged: 0 });
    expect(report.skipped).toHaveLength(4);
    expect(report.skipped[0]).toEqual({ position: 2, title: 'An item that lost its link and guid', reason: 'has no link' });

    // The same body again is recognised and not stored twice.
    expect(await (await post('/refresh', {})).json()).toMatchObject({ notModified: true, added: 0 });
    const list = await (await request('/')).json();
    expect(list.total).toBe(2);
    // The undated item counts as published when first seen.
    const allotments = list.articles.find((a: { title: string }) => a.title.startsWith('Allotment'));
    expect(allotments.publishedAt).toBe(new Date(NOW).toISOString());
  });

  it('answers 502 with the reason when the feed is broken, and stores nothing', async () => {
    const server = await feedServer({ '/feed/': serve(fixture('billion-laughs.xml')) });
    const { post, request, logs } = await setup({ FEED_URL: server.url('/feed/') });
    const res = await post('/refresh', {});
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      ok: false,
      feedUrl: server.url('/feed/'),
      error: expect.stringContaining('declares its own XML entities'),
    });
    expect((await (await request('/')).json()).total).toBe(0);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'feed refresh failed' }));
  });

  it('answers 502 when the site is down', async () => {
    const server = await feedServer({ '/feed/': serve('Service Unavailable', 'text/plain', 503) });
    const { post } = await setup({ FEED_URL: server.url('/feed/') });
    const res = await post('/refresh', {});
    expect(res.status).toBe(502);
    expect((await res.json()).error).toBe('the feed answered HTTP 503 Service Unavailable');
  });

  it('says FEED_URL is not configured when it is not', async () => {
    const { post } = await setup();
    const res = await post('/refresh', {});
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'FEED_URL is not configured.' } });
  });
});

describe('POST /', () => {
  it('adds an article by hand', async () => {
    const { post, request } = await setup();
    const res = await post('/', {
      url: 'https://riversideledger.example/2024/05/print-only/',
      title: '  From the print edition  ',
      excerpt: 'A story\n\nthat never made the feed.',
      author: 'Grace Adeyemi',
      imageUrl: 'https://riversideledger.example/img/print.jpg',
      imageAlt: 'The front page',
      categories: ['Print'],
      publishedAt: '2024-05-10T09:00:00+01:00',
    });
    expect(res.status).toBe(201);
    const article = await res.json();
    expect(article).toMatchObject({
      url: 'https://riversideledger.example/2024/05/print-only/',
      title: 'From the print edition',
      excerpt: 'A story that never made the feed.',
      image: { url: 'https://riversideledger.example/img/print.jpg', alt: 'The front page', width: null, height: null },
      categories: ['Print'],
      source: 'manual',
      publishedAt: '2024-05-10T08:00:00.000Z',
    });
    expect(await (await request(`/${article.id}`)).json()).toEqual(article);
  });

  it('dates an article without publishedAt now', async () => {
    const { post } = await setup();
    const res = await post('/', { url: 'https://riversideledger.example/x/', title: 'Now' });
    expect((await res.json()).publishedAt).toBe(new Date(NOW).toISOString());
  });

  it.each([
    [{ title: 'No link' }, 'url is required'],
    [{ url: 'javascript:alert(1)', title: 'Script' }, 'url must be an http(s) URL'],
    [{ url: 'https://riversideledger.example/y/', title: '   ' }, 'title is required'],
    [{ url: 'https://riversideledger.example/y/' }, 'title is required'],
    [{ url: 'https://riversideledger.example/y/', title: 'T', imageUrl: 'data:image/png;base64,AA' }, 'imageUrl must be an http(s) URL'],
    [{ url: 'https://riversideledger.example/y/', title: 'T', publishedAt: 'last Tuesday' }, 'publishedAt must be an ISO 8601 date or time'],
    [{ url: 'https://riversideledger.example/y/', title: 'T', colour: 'red' }, 'colour'],
  ])('refuses %j with a clear 400', async (body, message) => {
    const { post } = await setup();
    const res = await post('/', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(message);
  });

  it('refuses a link that is already stored with 409', async () => {
    const { post } = await setup();
    const body = { url: 'https://riversideledger.example/dup/', title: 'Once' };
    expect((await post('/', body)).status).toBe(201);
    const again = await post('/', body);
    expect(again.status).toBe(409);
    expect((await again.json()).error.message).toBe('An article with this link already exists.');
  });

  it('refuses a body that is not JSON', async () => {
    const { request } = await setup();
    const res = await request('/', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(res.status).toBe(415);
  });
});

describe('GET /', () => {
  it('pages through articles, newest first', async () => {
    const { post, request } = await setup();
    for (const day of [1, 2, 3]) {
      await post('/', { url: `https://riversideledger.example/d${day}/`, title: `Day ${day}`, publishedAt: `2024-05-0${day}` });
    }
    const page1 = await (await request('/?limit=2')).json();
    expect(page1).toMatchObject({ total: 3, page: 1, limit: 2 });
    expect(page1.articles.map((a: { title: string }) => a.title)).toEqual(['Day 3', 'Day 2']);
    const page2 = await (await request('/?limit=2&page=2')).json();
    expect(page2.articles.map((a: { title: string }) => a.title)).toEqual(['Day 1']);
    const since = await (await request('/?since=2024-05-02')).json();
    expect(since.total).toBe(2);
  });

  it('refuses a bad page or limit', async () => {
    const { request } = await setup();
    expect((await request('/?limit=5000')).status).toBe(400);
    expect((await request('/?page=0')).status).toBe(400);
  });

  it('answers 404 for an unknown article', async () => {
    const { request } = await setup();
    expect((await request('/12345')).status).toBe(404);
    expect((await request('/abc')).status).toBe(404);
  });
});
