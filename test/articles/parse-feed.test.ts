import { describe, expect, it } from 'vitest';
import { parseFeed, type ParsedFeed } from '../../src/articles/parse-feed';
import { fixture } from './support/fixtures';

const feedUrl = 'https://riversideledger.example/feed/';

function parseOk(text: string, url = feedUrl) {
  const result = parseFeed(text, { feedUrl: url });
  if (!result.ok) throw new Error(`expected a feed, got: ${result.error}`);
  return result;
}

const byTitle = (result: Extract<ParsedFeed, { ok: true }>, start: string) => {
  const article = result.articles.find((a) => a.title.startsWith(start));
  if (!article) throw new Error(`no article starting "${start}"`);
  return article;
};

describe('WordPress RSS', () => {
  const feed = parseOk(fixture('wordpress-rss.xml'));

  it('reads every item, newest first, with guid, link, author and date', () => {
    expect(feed.format).toBe('rss');
    expect(feed.articles).toHaveLength(6);
    expect(feed.skipped).toEqual([]);
    const first = feed.articles[0]!;
    expect(first).toMatchObject({
      guid: 'https://riversideledger.example/?p=4101',
      url: 'https://riversideledger.example/2024/05/10/tannery-homes-approved/',
      title: 'Council approves 300 homes on the old tannery site',
      author: 'Priya Natarajan',
      publishedAt: Date.UTC(2024, 4, 10, 16, 0, 0),
    });
  });

  it('decodes entities in titles, authors and categories', () => {
    const cleanup = byTitle(feed, 'Volunteers');
    expect(cleanup.title).toBe('Volunteers’ river clean-up pulls two tonnes of rubbish & a bicycle from the Wey');
    expect(cleanup.author).toBe('Tom O’Malley');
    expect(byTitle(feed, 'Council approves').categories).toEqual(['City Council', 'Housing & Planning']);
    // Escaped markup in a title is markup, not words.
    expect(byTitle(feed, 'Market square').title).toBe('Market square reopens after resurfacing');
  });

  it('keeps each category once', () => {
    expect(byTitle(feed, 'Market square').categories).toEqual(['Business']);
  });

  it('makes plain-text excerpts without WordPress boilerplate', () => {
    const tannery = byTitle(feed, 'Council approves');
    expect(tannery.excerpt).toBe(
      'After four hours of debate, councillors voted 9–4 to let the developer build 300 homes where the ' +
        'tannery stood, with a third of them “genuinely affordable”.',
    );
    const bus = byTitle(feed, 'Route 7');
    expect(bus.excerpt).toBe(
      'The operator says too few people ride after dark to pay for the service. Shift workers at the hospital disagree.',
    );
    for (const article of feed.articles) {
      expect(article.excerpt).not.toMatch(/appeared first on|Continue reading|\[…\]|\[&|<|&#/);
    }
  });

  it('trims long excerpts on a word boundary with an ellipsis', () => {
    const market = byTitle(feed, 'Market square');
    expect(market.excerpt.length).toBeLessThanOrEqual(300);
    expect(market.excerpt).toMatch(/^Stallholders returned to the market square .* in their…$/);
    const cleanup = byTitle(feed, 'Volunteers');
    expect(cleanup.excerpt.endsWith('…')).toBe(true);
    expect(cleanup.excerpt).toContain('“We found a shopping trolley every fifty metres,” said organiser');
  });

  it('uses the excerpt from the full content when the item has no description', () => {
    expect(byTitle(feed, 'Market square').excerpt.startsWith('Stallholders returned')).toBe(true);
  });

  it('resolves a relative link against the site the feed names', () => {
    expect(byTitle(feed, 'Volunteers').url).toBe('https://riversideledger.example/2024/05/09/river-cleanup/');
  });

  it('takes the image from media:content, then an image enclosure, then media:thumbnail', () => {
    expect(byTitle(feed, 'Council approves')).toMatchObject({
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/tannery-1200x800.jpg',
      imageAlt: 'The tannery chimney at dusk',
      imageWidth: 1200,
      imageHeight: 800,
    });
    expect(byTitle(feed, 'Volunteers').imageUrl).toBe(
      'https://riversideledger.example/wp-content/uploads/2024/05/cleanup.jpg',
    );
    expect(byTitle(feed, 'Market square')).toMatchObject({
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/market-150x150.jpg',
      imageWidth: 150,
    });
  });

  it('falls back to the first real image in the content, resolved, skipping tracking pixels', () => {
    expect(byTitle(feed, 'Route 7')).toMatchObject({
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/route7.jpg',
      imageAlt: 'A route 7 bus at the station',
      imageWidth: 800,
      imageHeight: 533,
    });
  });

  it('never keeps javascript: or data: images', () => {
    expect(byTitle(feed, 'Opinion').imageUrl).toBeNull();
    expect(byTitle(feed, 'Flood defence').imageUrl).toBeNull();
  });
});

describe('Atom', () => {
  const feed = parseOk(fixture('atom.xml'), 'https://riversideledger.example/feed/atom/');

  it('reads entries with ids, alternate links, dates and categories', () => {
    expect(feed.format).toBe('atom');
    const budget = feed.articles[0]!;
    expect(budget).toMatchObject({
      guid: 'https://riversideledger.example/?p=4110',
      url: 'https://riversideledger.example/2024/05/10/budget-gap/',
      title: 'Council’s budget gap grows to £4.2m',
      author: 'Priya Natarajan',
      publishedAt: Date.UTC(2024, 4, 10, 8, 0, 0),
      updatedAtSource: Date.UTC(2024, 4, 10, 18, 20, 0),
      categories: ['City Council', 'Money & Budgets'],
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/town-hall.jpg',
    });
    expect(budget.excerpt).toBe('Finance officers told the scrutiny committee the shortfall had grown by £900,000 since January…');
  });

  it('keeps plain-text titles as written and reads xhtml summaries in order', () => {
    const rents = byTitle(feed, 'Fees');
    expect(rents.title).toBe('Fees < costs: why allotment rents are going up');
    expect(rents.excerpt).toBe('Plot holders will pay £38 a year from April.');
  });

  it('gives entries without an author the feed author, and without a published date the updated one', () => {
    const rents = byTitle(feed, 'Fees');
    expect(rents.author).toBe('The Riverside Ledger newsroom');
    expect(rents.publishedAt).toBe(Date.UTC(2024, 4, 9, 12, 0, 0));
    expect(rents.imageUrl).toBe('https://riversideledger.example/wp-content/uploads/2024/05/allotments.jpg');
  });

  it('skips an entry without a link and says so', () => {
    expect(feed.articles).toHaveLength(2);
    expect(feed.skipped).toEqual([{ position: 3, title: 'An entry with no link at all', reason: 'has no link' }]);
  });
});

describe('WordPress REST API JSON', () => {
  const feed = parseOk(fixture('wordpress-posts.json'), 'https://riversideledger.example/wp-json/wp/v2/posts?_embed');

  it('reads rendered fields, the embedded author and categories, and GMT dates', () => {
    expect(feed.format).toBe('wordpress-json');
    expect(feed.articles[0]).toMatchObject({
      guid: 'https://riversideledger.example/?p=4120',
      url: 'https://riversideledger.example/2024/05/11/ferry-returns/',
      title: 'The foot ferry returns – and it’s free for under-16s',
      author: 'Grace Adeyemi',
      categories: ['Transport', 'Parks & Rivers'],
      publishedAt: Date.UTC(2024, 4, 11, 9, 30, 0),
      updatedAtSource: Date.UTC(2024, 4, 11, 11, 0, 0),
    });
  });

  it('drops the "Read more" link from the excerpt', () => {
    expect(feed.articles[0]!.excerpt).toBe(
      'The little ferry across to Osier Island is back after two summers in dry dock, and the council has ' +
        'agreed to let children ride free until September …',
    );
  });

  it('picks a featured image size fit for email, with its alt text and size', () => {
    expect(feed.articles[0]).toMatchObject({
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/ferry-1536x1024.jpg',
      imageAlt: 'The green ferry at the island jetty',
      imageWidth: 1536,
      imageHeight: 1024,
    });
  });

  it('falls back to the first image in the content when the featured media is not readable', () => {
    expect(feed.articles[1]).toMatchObject({
      author: 'Tom O’Malley',
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/school-street.jpg',
      imageAlt: 'Children on bikes outside St Anne’s',
    });
  });

  it('skips a post without a link, naming it', () => {
    expect(feed.skipped).toEqual([{ position: 3, title: 'A post whose link went missing', reason: 'has no link' }]);
  });

  it('reports WordPress error answers and other JSON as not a feed', () => {
    const error = parseFeed('{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}', { feedUrl });
    expect(error).toEqual({ ok: false, error: expect.stringContaining('No route was found') });
    expect(parseFeed('{"hello": 1}', { feedUrl })).toEqual({ ok: false, error: expect.stringMatching(/^not a feed/) });
    expect(parseFeed('[{"id": 1', { feedUrl })).toEqual({ ok: false, error: expect.stringMatching(/^malformed JSON/) });
  });
});

describe('RSS 1.0 (RDF)', () => {
  it('reads items that sit beside the channel', () => {
    const feed = parseOk(`<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://riversideledger.example/"><title>The Riverside Ledger</title><link>https://riversideledger.example/</link></channel>
  <item rdf:about="https://riversideledger.example/ferry/">
    <title>Ferry timetable published</title>
    <link>https://riversideledger.example/ferry/</link>
    <description>Boats every twenty minutes at weekends.</description>
    <dc:creator>Grace Adeyemi</dc:creator>
    <dc:date>2024-05-11T08:00:00Z</dc:date>
  </item>
</rdf:RDF>`);
    expect(feed.articles).toEqual([
      expect.objectContaining({
        url: 'https://riversideledger.example/ferry/',
        title: 'Ferry timetable published',
        author: 'Grace Adeyemi',
        excerpt: 'Boats every twenty minutes at weekends.',
        publishedAt: Date.UTC(2024, 4, 11, 8, 0, 0),
      }),
    ]);
  });
});

describe('broken items', () => {
  it('keeps the good items and reports each bad one with its reason', () => {
    const feed = parseOk(fixture('one-broken-item.xml'));
    expect(feed.articles.map((a) => a.title)).toEqual([
      'Swimming pool opening hours extended for the summer',
      'Allotment waiting list closes to new names',
    ]);
    expect(feed.skipped).toEqual([
      { position: 2, title: 'An item that lost its link and guid', reason: 'has no link' },
      {
        position: 3,
        title: 'A link that runs script',
        reason: 'its link "javascript:alert(document.cookie)" is not an http(s) address',
      },
      { position: 4, reason: 'has no title' },
      {
        position: 6,
        title: 'Swimming pool opening hours extended for the summer (again)',
        reason: 'repeats the guid of item 1',
      },
    ]);
  });

  it('clips over-long titles and categories instead of losing the article', () => {
    const long = 'Very long headline '.repeat(40);
    const feed = parseOk(
      `<rss><channel><item><title>${long}</title><link>https://x.example/long</link><category>${'c'.repeat(500)}</category></item></channel></rss>`,
    );
    expect(feed.articles[0]!.title.length).toBeLessThanOrEqual(300);
    expect(feed.articles[0]!.title).toMatch(/^(Very long headline )+Very long…$/);
    expect(feed.articles[0]!.categories[0]!.length).toBeLessThanOrEqual(100);
  });

  it('leaves the date empty when an item has none, rather than inventing one', () => {
    const feed = parseOk(fixture('one-broken-item.xml'));
    expect(byTitle(feed, 'Allotment').publishedAt).toBeNull();
  });
});

describe('documents that are not feeds', () => {
  it('recognises an HTML page', () => {
    expect(parseFeed(fixture('not-a-feed.html'), { feedUrl })).toEqual({
      ok: false,
      error: 'not a feed: the address returned an HTML page, not RSS, Atom or WordPress JSON',
    });
  });

  it('says a truncated document was cut short', () => {
    const result = parseFeed(fixture('truncated.xml'), { feedUrl });
    expect(result).toEqual({
      ok: false,
      error: 'malformed XML: the document ends before <rss>, <channel>, <item>, <description> are closed (truncated?)',
    });
  });

  it('reports malformed XML with its position', () => {
    const result = parseFeed('<rss><channel><title>A & B</title></channel></rss>', { feedUrl });
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^malformed XML: .*\(line 1, column \d+\)$/) });
  });

  it('names an XML document that is neither RSS nor Atom', () => {
    expect(parseFeed('<?xml version="1.0"?><sitemap><url/></sitemap>', { feedUrl })).toEqual({
      ok: false,
      error: 'not a feed: the XML document is <sitemap>, not RSS or Atom',
    });
  });

  it('says so when the answer is empty or plain text', () => {
    expect(parseFeed('   ', { feedUrl })).toEqual({ ok: false, error: 'not a feed: the response is empty' });
    expect(parseFeed('Service Unavailable', { feedUrl })).toEqual({
      ok: false,
      error: 'not a feed: the response is neither XML nor JSON',
    });
  });

  it('accepts an empty but valid feed', () => {
    const feed = parseOk('<rss version="2.0"><channel><title>Quiet week</title></channel></rss>');
    expect(feed.articles).toEqual([]);
  });
});
