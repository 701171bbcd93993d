import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/articles/parse-feed';
import { fixture } from './support/fixtures';

const feedUrl = 'https://riversideledger.example/feed/';

describe('entity expansion', () => {
  it('refuses a billion-laughs feed at once, with a reason', () => {
    // The reason shows it was refused from the prolog, before any expansion could start.
    const result = parseFeed(fixture('billion-laughs.xml'), { feedUrl });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('declares its own XML entities') });
  });

  it('refuses a quadratic blow-up (one big entity used many times)', () => {
    const big = 'A'.repeat(50_000);
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "${big}">]><rss><channel><item><title>t</title><link>https://x.example/</link><description>${'&a;'.repeat(50_000)}</description></item></channel></rss>`;
    const result = parseFeed(xml, { feedUrl });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('declares its own XML entities') });
  });

  it('refuses external entities (no file or network is read)', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&secret;</title><link>https://x.example/</link></item></channel></rss>`;
    const result = parseFeed(xml, { feedUrl });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('sees entity declarations however the prolog tries to hide them', () => {
    const hidden = [
      // A comment before the DOCTYPE.
      `<?xml version="1.0"?><!-- hello --><!DOCTYPE rss [<!ENTITY boom "EXPANDED">]>`,
      // A "]" inside a comment, which would end the internal subset for a naive reader.
      `<?xml version="1.0"?><!DOCTYPE rss [<!-- ] --><!ENTITY boom "EXPANDED">]>`,
      // A "]" inside an earlier entity value.
      `<!DOCTYPE rss [<!ENTITY a "]"><!ENTITY boom "EXPANDED">]>`,
    ];
    for (const prolog of hidden) {
      const xml = `${prolog}<rss><channel><item><title>Safe &boom;</title><link>https://x.example/a</link></item></channel></rss>`;
      const result = parseFeed(xml, { feedUrl });
      expect(result).toEqual({ ok: false, error: expect.stringContaining('declares its own XML entities') });
    }
  });

  it('reads a feed with a plain DOCTYPE that declares nothing', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><item><title>Old &amp; fine</title><link>https://x.example/old</link></item></channel></rss>`;
    const result = parseFeed(xml, { feedUrl });
    expect(result.ok && result.articles[0]?.title).toBe('Old & fine');
  });

  it('reads a feed whose article text quotes "<!ENTITY" (only the prolog counts)', () => {
    const xml = `<?xml version="1.0"?><rss><channel><item><title>How XML attacks work</title><link>https://x.example/xml</link><description><![CDATA[<p>They start with <code>&lt;!ENTITY lol "lol"&gt;</code>.</p>]]></description></item></channel></rss>`;
    const result = parseFeed(xml, { feedUrl });
    expect(result.ok && result.articles[0]?.excerpt).toBe('They start with <!ENTITY lol "lol">.');
  });
});

describe('markup in feed text', () => {
  it('turns script and style into nothing and keeps escaped markup as text', () => {
    const xml = `<rss><channel><item><title>Hello</title><link>https://x.example/h</link><description><![CDATA[<script>alert("x")</script><style>p{color:red}</style><p>Use &lt;b&gt; for bold &amp; more.</p>]]></description></item></channel></rss>`;
    const result = parseFeed(xml, { feedUrl });
    expect(result.ok && result.articles[0]?.excerpt).toBe('Use <b> for bold & more.');
  });

  it('never throws, whatever the titles, links and descriptions contain', () => {
    const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (title, link, description) => {
        const xml = `<rss><channel><item><title>${escape(title)}</title><link>${escape(link)}</link><description>${escape(description)}</description></item></channel></rss>`;
        const result = parseFeed(xml, { feedUrl });
        if (result.ok) {
          for (const a of result.articles) {
            expect(a.url).toMatch(/^https?:\/\//);
            expect(a.excerpt.length).toBeLessThanOrEqual(300);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        parseFeed(text, { feedUrl });
        parseFeed(`<rss><channel><item>${text}</item></channel></rss>`, { feedUrl });
      }),
      { numRuns: 300 },
    );
  });
});
