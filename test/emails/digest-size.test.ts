/**
 * Size is behaviour: Gmail clips an email's HTML past 102 KB behind "[Message clipped]", which
 * hides the footer with the unsubscribe link, and every byte is sent once per reader.
 */
import { describe, expect, it } from 'vitest';
import { cellType, cls, font, storyCss } from '../../emails/_components/theme';
import { renderDigestEmail, withoutBareSpans } from '../../src/emails/render';
import { digestProps, elements, manyArticles, withoutStyleSheets } from './helpers';

const count = (html: string, part: string) => html.split(part).length - 1;

describe('the digest’s size', () => {
  it('a 10-article digest stays far below Gmail clipping, and keeps its lean markup', async () => {
    const { html } = await renderDigestEmail(digestProps({ articles: manyArticles(10) }));
    const bytes = new TextEncoder().encode(html).length;
    // 10 long articles (excerpts at their 240-character clamp): 33.6 KB before issue 14, 32.1 KB
    // after its first pass, 26.7 KB once each story cell set its type, 23.3 KB with bands as rows,
    // the font shorthand and the stories in one table, 22.6 KB with short class names, valign on
    // the stories' rows, a 4-byte preheader space and the editor's paragraphs typed by their cell,
    // 21.8 KB with the stories' type set once on their table, shorter dark-mode CSS and class
    // names, bold kickers by <b>, and the lead and the other stories in one band, 19.3 KB with the
    // stories' sizes, margins and spacing stated once in class rules (storyCss) rather than on
    // every story. (The bench's digest, of shorter excerpts: 17,292 → 14,650 bytes as sent.)
    expect(bytes).toBeLessThan(19_300);
    expect(bytes * 3).toBeLessThan(102 * 1024);
    // What was removed stays removed: text-part hints, react-email's redundant table attributes,
    // quoted font names (each quote is six bytes in a style attribute), react-email's 20-byte
    // preheader padding and the 3-byte joiner of the usual one, React's hydration comments, tbody
    // tags, bare spans, the long and the three-letter class names.
    expect(html).not.toMatch(/data-(skip-in-text|text-nohref|text-line)|data-id="__react-email|<tbody|&#x27;Segoe|\u200b|\u200c|<!--\$-->|<span>|class="bs/);
    // The sans stack once for the stories' table, once in the stories' class rules (the section
    // headings) and once in Outlook's rule for the cells beside a picture (plus the cells of the two
    // stories without one, the lead story's cell, dateline, footer and button), not on every story
    // or paragraph; in the font shorthand, except in the editor's Markdown.
    expect(count(html, font.sans)).toBe(3 + 2 + 4);
    expect(html).toContain(`<!--[if mso]><style>.${cls.text}{font:${cellType.sans.font};color:${cellType.sans.color}}</style><![endif]-->`);
    // The stories' type once per email, in a <style> of its own ahead of the dark and phone rules.
    expect(html).toContain(`<style>${storyCss({ others: true })}</style><style>:root{`);
    expect(count(html, `<style>`)).toBe(3);
    // Gmail drops the styles of an email whose <style> holds more than 16 KB.
    const styles = [...html.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] ?? '').join('');
    expect(new TextEncoder().encode(styles).length).toBeLessThan(16 * 1024);
    // What a story's text states inline is only what a client without <style> needs: its colour,
    // and the serif family of the headline and excerpt (test/emails/no-style.test.ts).
    const storyClasses = [cls.kicker, cls.leadHeadline, cls.headline, cls.headlineLink, cls.byline, cls.leadExcerpt, cls.excerpt, cls.more];
    const storyText = ['p', 'h3', 'a'].flatMap((tag) => elements(html, tag)).filter((e) => storyClasses.includes(e.class as never));
    expect(storyText).toHaveLength(10 * 6);
    for (const e of storyText) expect(e.style).toMatch(/^(color:#[0-9a-f]{3,6}|font-family:[^;]*)$/);
    expect(count(html, `style="font-family:${font.serifInline}"`)).toBe(2 * 10);
    expect(withoutStyleSheets(html).replace(/<(p|h3) (class="q[a-z]" )?style="font-family:[^"]*"/g, '')).not.toMatch(/font-family:/);
    // Two tables for the page and its column, one for the other stories, one for the button; a
    // row for the page, each band (masthead, intro, the stories, appeal, footer), each other
    // story and the button.
    expect(count(html, '<table')).toBe(2 + 1 + 1);
    expect(count(html, '<tr')).toBe(1 + 5 + 9 + 1);
    // A story's row holds its cells at the top, once for both of them.
    expect(count(html, '<tr valign="top">')).toBe(9);
    expect(html).not.toMatch(/<td[^>]* valign=/);
  });
});

describe('the stories’ class rules', () => {
  it('leave out those of the other stories when the lead is the only one', async () => {
    const { html } = await renderDigestEmail(digestProps({ articles: manyArticles(1) }));
    expect(html).toContain(`<style>${storyCss({ others: false })}</style>`);
    for (const name of [cls.headline, cls.excerpt, cls.thumb, cls.text]) {
      expect(storyCss({ others: false })).not.toContain(`.${name}`);
      expect(storyCss({ others: true })).toContain(`.${name}`);
    }
  });
});

describe('bare spans', () => {
  it('are unwrapped with their own closing tag; spans with attributes and all content stay', () => {
    expect(withoutBareSpans('<p><span>a <span class="x">b</span> c</span><span style="y"><span>d</span></span></p>')).toBe(
      '<p>a <span class="x">b</span> c<span style="y">d</span></p>',
    );
  });
});
