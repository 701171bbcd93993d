import { describe, expect, it } from 'vitest';
import { cellType, cls } from '../../emails/_components/theme';
import { renderDigestEmail } from '../../src/emails/render';
import { chromiumForFile } from '../support/chromium-for-file';
import { digestProps, manyArticles } from './helpers';

/**
 * The text beside each story's picture takes its type and colour from the stories' table, not
 * from its own cell (issue 14): in a browser every element of a story computes the same type as
 * when each cell stated it, also in quirks mode (an email shown without its doctype), where a
 * table does not inherit the size and line height from around it.
 */
const browser = chromiumForFile();

const stated = `;font:${cellType.sans.font};color:${cellType.sans.color}`;

/** The same email with the type written on every story cell, as it was before. */
const withTypeOnEveryCell = (html: string) =>
  html.replace(new RegExp(`class="${cls.text}" style="([^"]*)"`, 'g'), (_, style: string) => `class="${cls.text}" style="${style}${stated}"`);

async function storyStyles(html: string, colorScheme: 'light' | 'dark'): Promise<string[]> {
  const page = await browser().newPage({ viewport: { width: 600, height: 800 } });
  try {
    await page.route('**/*', (route) => route.abort());
    await page.emulateMedia({ colorScheme });
    await page.setContent(html);
    return await page.evaluate(
      (text) =>
        [...document.querySelectorAll(`.${text}, .${text} *`)].map((el) => {
          const s = getComputedStyle(el);
          return [el.tagName, s.fontFamily, s.fontSize, s.lineHeight, s.fontWeight, s.color, el.getBoundingClientRect().height].join(' | ');
        }),
      cls.text,
    );
  } finally {
    await page.close();
  }
}

describe('the stories’ type, set once on their table', () => {
  it('is what each story cell stated, in light and dark mode, with and without the doctype', async () => {
    const { html } = await renderDigestEmail(digestProps({ articles: manyArticles(10) }));
    expect(html).not.toMatch(new RegExp(`class="${cls.text}" style="[^"]*font:`));
    const quirks = html.replace(/^<!DOCTYPE[^>]*>/, '');
    expect(quirks).not.toMatch(/^<!DOCTYPE/);
    for (const page of [html, quirks]) {
      for (const scheme of ['light', 'dark'] as const) {
        const after = await storyStyles(page, scheme);
        expect(after.length).toBeGreaterThan(9 * 5);
        expect(after).toEqual(await storyStyles(withTypeOnEveryCell(page), scheme));
      }
    }
  });
});
