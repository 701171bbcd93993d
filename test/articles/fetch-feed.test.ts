import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchFeedResult } from '../../src/articles/fetch-feed';
import { endlessFeed, serve, startFeedServer, type FeedServer } from './support/feed-server';
import { fixture, fixtureBytes } from './support/fixtures';

let server: FeedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The feed that was read, or a failed test saying why there was none. */
function read(result: FetchFeedResult) {
  if (!result.ok) throw new Error(`expected a feed, got: ${result.error}`);
  if (result.notModified) throw new Error('expected a feed, got 304 Not Modified');
  return result;
}

async function withServer(routes: Parameters<typeof startFeedServer>[0]) {
  server = await startFeedServer(routes);
  return server;
}

describe('fetchFeed', () => {
  it('downloads and parses a feed', async () => {
    const s = await withServer({ '/feed/': serve(fixture('wordpress-rss.xml')) });
    const result = await fetchFeed(s.url('/feed/'));
    expect(read(result).articles.length).toBe(6);
  });

  it('uses the fetch it is given', async () => {
    const s = await withServer({ '/feed/': serve(fixture('atom.xml'), 'application/atom+xml') });
    const seen: string[] = [];
    const result = await fetchFeed(s.url('/feed/'), {
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    expect(seen).toEqual([s.url('/feed/')]);
    expect(read(result).format).toBe('atom');
  });

  it('follows redirects and resolves relative links against the final address', async () => {
    const s = await withServer({
      '/old-feed': (_req, res) => res.writeHead(301, { location: '/new/feed.xml' }).end(),
      '/new/feed.xml': serve(
        '<rss version="2.0"><channel><title>T</title><item><title>Moved</title><link>story.html</link></item></channel></rss>',
      ),
    });
    const result = await fetchFeed(s.url('/old-feed'));
    expect(read(result).articles[0]?.url).toBe(s.url('/new/story.html'));
  });

  it('reports HTTP errors with their status', async () => {
    const s = await withServer({
      '/broken': serve('oops', 'text/plain', 500),
    });
    expect(await fetchFeed(s.url('/missing'))).toEqual({ ok: false, error: 'the feed answered HTTP 404 Not Found' });
    expect(await fetchFeed(s.url('/broken'))).toEqual({
      ok: false,
      error: 'the feed answered HTTP 500 Internal Server Error',
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    const s = await withServer({ '/slow': () => undefined /* never answers */ });
    // The server never answers: that this resolves at all is the timeout working.
    const result = await fetchFeed(s.url('/slow'), { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, error: 'the feed did not answer within 0.3 s' });
  });

  it('gives up on a body that trickles in', async () => {
    const s = await withServer({
      '/trickle': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<rss version="2.0"><channel>');
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
      },
    });
    const result = await fetchFeed(s.url('/trickle'), { timeoutMs: 300 });
    expect(result).toEqual({ ok: false, error: 'the feed took longer than 0.3 s to download' });
  });

  it('refuses a body announced as too large without reading it', async () => {
    const s = await withServer({
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(6 * 1024 * 1024) });
        res.write('<rss>');
      },
    });
    expect(await fetchFeed(s.url('/big'))).toEqual({ ok: false, error: 'the feed is larger than 5 MB' });
  });

  it('stops reading an endless feed once it passes the limit', async () => {
    const sent = { bytes: 0, closed: false };
    const s = await withServer({ '/huge': endlessFeed(sent) });
    const result = await fetchFeed(s.url('/huge'), { maxBytes: 1024 * 1024 });
    expect(result).toEqual({ ok: false, error: 'the feed is larger than 1 MB' });
    await expect.poll(() => sent.closed).toBe(true);
    // What the server got out before the client hung up: the limit plus socket buffers, not 100 MB.
    expect(sent.bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it('reads a large feed that stays under the limit', async () => {
    const items = Array.from(
      { length: 2000 },
      (_, i) => `<item><title>Story ${i}</title><link>https://x.example/${i}</link><description>${'words '.repeat(200)}</description></item>`,
    ).join('');
    const s = await withServer({ '/large': serve(`<rss version="2.0"><channel><title>L</title>${items}</channel></rss>`) });
    const result = await fetchFeed(s.url('/large'));
    expect(read(result).articles.length).toBe(2000);
  });

  it('says when the address is a web page, not a feed', async () => {
    const s = await withServer({ '/blog': serve(fixture('not-a-feed.html'), 'text/html; charset=UTF-8') });
    expect(await fetchFeed(s.url('/blog'))).toEqual({
      ok: false,
      error: 'not a feed: the address returned an HTML page, not RSS, Atom or WordPress JSON',
    });
  });

  it('reports malformed XML', async () => {
    const s = await withServer({ '/cut': serve(fixture('truncated.xml')) });
    const result = await fetchFeed(s.url('/cut'));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^malformed XML: .*truncated/) });
  });

  it('reports a server that is not there', async () => {
    const s = await withServer({});
    const gone = s.url('/feed/');
    await s.close();
    server = undefined;
    expect(await fetchFeed(gone)).toEqual({ ok: false, error: 'could not reach the feed (ECONNREFUSED)' });
  });

  it('refuses a hostile feed quickly', async () => {
    const s = await withServer({ '/lol': serve(fixture('billion-laughs.xml')) });
    // Refused for declaring entities, i.e. before any expansion (the reason says so).
    const result = await fetchFeed(s.url('/lol'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/entities/);
  });
});

describe('conditional requests', () => {
  it('sends the validators it is given and reports 304 as not modified', async () => {
    const seen: (string | undefined)[] = [];
    const s = await withServer({
      '/feed/': (req, res) => {
        seen.push(req.headers['if-none-match']);
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Fri, 10 May 2024 16:05:11 GMT' });
        res.end(fixture('wordpress-rss.xml'));
      },
    });
    const first = read(await fetchFeed(s.url('/feed/')));
    expect(first.validators).toEqual({ etag: '"v1"', lastModified: 'Fri, 10 May 2024 16:05:11 GMT', bodyHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await fetchFeed(s.url('/feed/'), { validators: first.validators })).toEqual({ ok: true, notModified: true });
    expect(seen).toEqual([undefined, '"v1"']);
  });
});

describe('character encodings', () => {
  const latin1 = fixtureBytes('latin1-rss.xml');

  const expectFrench = (result: FetchFeedResult) => {
    const feed = read(result);
    expect(feed.articles[0]).toMatchObject({
      title: 'Le Café Müller rouvre sur le quai',
      author: 'Zoë Lefèvre',
      categories: ['Économie'],
    });
    expect(feed.articles[0]!.excerpt).toContain('£3 pour les touristes');
  };

  it('reads ISO-8859-1 named by the XML declaration', async () => {
    const s = await withServer({ '/gazette': serve(latin1, 'application/rss+xml') });
    expectFrench(await fetchFeed(s.url('/gazette')));
  });

  it('reads ISO-8859-1 named by the Content-Type charset', async () => {
    const noDeclaration = Buffer.from(latin1.toString('latin1').replace(/^<\?xml[^>]*>/, ''), 'latin1');
    const s = await withServer({ '/gazette': serve(noDeclaration, 'text/xml; charset=ISO-8859-1') });
    expectFrench(await fetchFeed(s.url('/gazette')));
  });

  it('trusts the XML declaration when a server wrongly says UTF-8', async () => {
    const s = await withServer({ '/gazette': serve(latin1, 'application/rss+xml; charset=utf-8') });
    expectFrench(await fetchFeed(s.url('/gazette')));
  });

  it('reads windows-1252 smart quotes', async () => {
    const head = '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item><title>';
    const tail = '</title><link>https://x.example/q</link></item></channel></rss>';
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0x93, 0x4f, 0x6b, 0x94, 0x20, 0x96, 0x20, 0x69, 0x74, 0x92, 0x73]), Buffer.from(tail)]);
    const s = await withServer({ '/q': serve(body, 'application/rss+xml') });
    const result = await fetchFeed(s.url('/q'));
    expect(read(result).articles[0]?.title).toBe('“Ok” – it’s');
  });

  it('reads UTF-16 with a byte-order mark', async () => {
    const text = fixture('atom.xml').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const s = await withServer({ '/atom': serve(body, 'application/atom+xml') });
    const result = await fetchFeed(s.url('/atom'));
    expect(read(result).articles[0]?.title).toBe('Council’s budget gap grows to £4.2m');
  });

  it('names an encoding it cannot read', async () => {
    const s = await withServer({ '/x': serve('<rss/>', 'application/rss+xml; charset=x-martian') });
    expect(await fetchFeed(s.url('/x'))).toEqual({
      ok: false,
      error: 'the feed uses a character encoding Broadside cannot read: "x-martian"',
    });
  });
});
