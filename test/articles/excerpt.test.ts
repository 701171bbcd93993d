import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanFeedHtml, trimExcerpt } from '../../src/articles/excerpt';
import { safeUrl } from '../../src/articles/urls';

describe('cleanFeedHtml', () => {
  it('removes "The post … appeared first on …" however the site words its title', () => {
    const html =
      '<p>The post office on Bridge Street will close.</p>' +
      '<p>The post <a href="https://x.example/p">The post office closes</a> appeared first on <a href="https://x.example">The Ledger</a>.</p>';
    expect(cleanFeedHtml(html).text).toBe('The post office on Bridge Street will close.');
  });

  it('removes the plain-text form of the boilerplate too', () => {
    expect(cleanFeedHtml('Short news. The post Short news appeared first on The Ledger.').text).toBe('Short news.');
  });

  it('replaces WordPress truncation marks with a single ellipsis', () => {
    expect(cleanFeedHtml('<p>The council met on Tuesday and [&hellip;]</p>').text).toBe('The council met on Tuesday and…');
    expect(cleanFeedHtml('<p>The council met on Tuesday and [...]</p>').text).toBe('The council met on Tuesday and…');
    expect(cleanFeedHtml('<p>The council met. <a href="/x">Read more »</a></p>').text).toBe('The council met.');
  });

  it('separates paragraphs and decodes entities once', () => {
    expect(cleanFeedHtml('<p>One&nbsp;&amp;&nbsp;two</p><p>Three &amp;lt;</p>').text).toBe('One & two Three &lt;');
  });
});

describe('trimExcerpt', () => {
  it('leaves short text alone', () => {
    expect(trimExcerpt('Short and sweet.')).toBe('Short and sweet.');
  });

  it('cuts on a word boundary and adds an ellipsis', () => {
    expect(trimExcerpt('The river rose overnight, flooding the lower town.', 30)).toBe('The river rose overnight…');
  });

  it('always fits and never splits a word when there is a space to cut at', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}$/), { minLength: 1, maxLength: 80 }), (words) => {
        const text = words.join(' ');
        const out = trimExcerpt(text, 60);
        expect(out.length).toBeLessThanOrEqual(60);
        if (out !== text) {
          const kept = out.slice(0, -1).split(' ');
          expect(kept.every((w, i) => w === words[i])).toBe(true);
        }
      }),
    );
  });
});

describe('safeUrl', () => {
  it('resolves relative links and keeps http(s) only', () => {
    expect(safeUrl('/a/b?c=1', 'https://site.example/feed/')).toBe('https://site.example/a/b?c=1');
    expect(safeUrl('  https://site.example/x  ')).toBe('https://site.example/x');
    expect(safeUrl('javascript:alert(1)', 'https://site.example/')).toBeNull();
    expect(safeUrl('data:text/html,hi', 'https://site.example/')).toBeNull();
    expect(safeUrl('mailto:a@b.example')).toBeNull();
    expect(safeUrl('https://user:pass@site.example/')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('')).toBeNull();
  });
});
