/**
 * Size is behaviour: Gmail clips an email's HTML past 102 KB behind "[Message clipped]", which
 * hides the footer with the unsubscribe link, and every byte is sent once per reader.
 */
import { expect, it } from 'vitest';
import { font } from '../../emails/_components/theme';
import { renderDigestEmail } from '../../src/emails/render';
import { digestProps, manyArticles } from './helpers';

const count = (html: string, part: string) => html.split(part).length - 1;

it('a 10-article digest stays far below Gmail clipping, and keeps its lean markup', async () => {
  const { html } = await renderDigestEmail(digestProps({ articles: manyArticles(10) }));
  const bytes = new TextEncoder().encode(html).length;
  // 10 long articles (excerpts at their 240-character clamp): 33.6 KB before issue 14, 32.1 KB
  // after its first pass, 26.7 KB once each story cell set its type. The target of 15 KB is not
  // reached (BENCHMARKS.md says why); this bound keeps what was won.
  expect(bytes).toBeLessThan(27_000);
  expect(bytes * 3).toBeLessThan(102 * 1024);
  // What was removed stays removed: text-part hints, react-email's redundant table attributes,
  // quoted font names (each quote is six bytes in a style attribute), react-email's 20-byte
  // preheader padding, React's hydration comments.
  expect(html).not.toMatch(/data-(skip-in-text|text-nohref)|data-id="__react-email|<tbody style|&#x27;Segoe|\u200b|<!--\$-->/);
  // The sans stack once per story cell (plus the two section headings, dateline, footer and
  // button), not on every paragraph.
  expect(count(html, font.sans)).toBeLessThanOrEqual(10 + 5);
});
