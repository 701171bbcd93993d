import { afterEach, describe, expect, it } from 'vitest';
import { listArticles } from '../../src/articles/queries';
import { refreshFeed } from '../../src/articles/refresh-feed';
import { openLibsql, type LibsqlDatabase } from '../../src/db/libsql';
import { serve, startFeedServer, type FeedServer } from './support/feed-server';
import { fixture } from './support/fixtures';
import { memoryLogger } from '../support/test-app';

const NOW = Date.UTC(2024, 5, 1);
let opened: LibsqlDatabase | undefined;
let server: FeedServer | undefined;
afterEach(async () => {
  opened?.client.close();
  await server?.close();
  opened = server = undefined;
});


describe('refreshFeed', () => {
  it('stores the articles and logs the outcome, including skipped items', async () => {
    opened = await openLibsql(':memory:');
    server = await startFeedServer({ '/wp-json/wp/v2/posts': serve(fixture('wordpress-posts.json'), 'application/json') });
    const { logger, lines } = memoryLogger();
    const feedUrl = server.url('/wp-json/wp/v2/posts');
    const report = await refreshFeed({ db: opened.db, feedUrl, now: () => NOW, logger });
    expect(report).toMatchObject({ ok: true, format: 'wordpress-json', found: 2, added: 2 });
    expect((await listArticles(opened.db, { limit: 10, offset: 0 })).rows.map((a) => a.title)).toEqual([
      'The foot ferry returns – and it’s free for under-16s',
      'School streets trial: what parents told us',
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'feed refreshed', fields: expect.objectContaining({ added: 2, skipped: 1 }) }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'feed items skipped' }));
  });

  it('asks the site only for changes since the last refresh', async () => {
    opened = await openLibsql(':memory:');
    let version = 1;
    let fullAnswers = 0;
    server = await startFeedServer({
      '/feed/': (req, res) => {
        const etag = `"v${version}"`;
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
        fullAnswers++;
        const body = fixture('wordpress-rss.xml').replace('old tannery site</title>', `old tannery site (v${version})</title>`);
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
      },
    });
    const { logger } = memoryLogger();
    const refresh = () => refreshFeed({ db: opened!.db, feedUrl: server!.url('/feed/'), now: () => NOW, logger });

    expect(await refresh()).toMatchObject({ ok: true, notModified: false, added: 6 });
    expect(await refresh()).toMatchObject({ ok: true, notModified: true, added: 0, updated: 0 });
    version = 2;
    expect(await refresh()).toMatchObject({ ok: true, notModified: false, updated: 1, unchanged: 5 });
    expect(fullAnswers).toBe(2);
  });

  it('turns a fetch that throws into a report, not an exception', async () => {
    opened = await openLibsql(':memory:');
    const { logger } = memoryLogger();
    const report = await refreshFeed({
      db: opened.db,
      feedUrl: 'https://riversideledger.example/feed/',
      fetch: () => {
        throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
      },
      now: () => NOW,
      logger,
    });
    expect(report).toEqual({
      ok: false,
      feedUrl: 'https://riversideledger.example/feed/',
      error: 'could not reach the feed (ENOTFOUND)',
    });
  });
});
