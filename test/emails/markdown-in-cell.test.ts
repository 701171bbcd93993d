import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../emails/_components/markdown';
import { cellType } from '../../emails/_components/theme';
import { chromiumForFile } from '../support/chromium-for-file';

/**
 * Editor copy in a cell set in the body type (a digest's note, an appeal's letter) leaves the type
 * of its top-level paragraphs to the cell: fewer bytes, and in a browser the same page.
 */
const copy = `Good morning. **Three things** happened, and *one* did not: [read](https://example.org/a).

## A heading

> A quote, which stays italic.
>
> Over two paragraphs.

- a tight list
- of two

1. a loose list

2. with paragraphs

---

The last paragraph.`;

const browser = chromiumForFile();

const css = (s: Record<string, string>) =>
  Object.entries(s)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v}`)
    .join(';');

/** The copy in a 552px cell of the body type, as the templates put it. */
const page = (inner: string) =>
  `<!DOCTYPE html><html><body style="margin:0"><table role="presentation" width="552" cellpadding="0" cellspacing="0"><tr><td style="${css(cellType.serif)}"><div>${inner}</div></td></tr></table></body></html>`;

async function look(html: string) {
  const tab = await browser().newPage({ viewport: { width: 600, height: 800 } });
  try {
    await tab.setContent(html);
    const styles = await tab.evaluate(() =>
      [...document.querySelectorAll('td *')].map((el) => {
        const s = getComputedStyle(el);
        return [el.tagName, s.fontFamily, s.fontSize, s.lineHeight, s.fontStyle, s.fontWeight, s.color, s.margin].join(' | ');
      }),
    );
    return { styles, png: await tab.screenshot({ fullPage: true }) };
  } finally {
    await tab.close();
  }
}

describe('Markdown copy that takes its type from the cell', () => {
  it('states only the margin of a top-level paragraph, and everything in a quote or a list', () => {
    const html = markdownToHtml(copy, { typeFromCell: true });
    expect(html.match(/<p style="margin:0 0 16px">/g)).toHaveLength(2);
    // The quote's two paragraphs and the loose list's two keep the serif longhands.
    expect(html.match(/<p style="font-family:[^"]*">/g)).toHaveLength(4);
    expect(html.length).toBeLessThan(markdownToHtml(copy).length);
  });

  it('looks the same in Chromium as the copy with every paragraph’s type stated', async () => {
    const before = await look(page(markdownToHtml(copy)));
    const after = await look(page(markdownToHtml(copy, { typeFromCell: true })));
    expect(after.styles).toEqual(before.styles);
    expect(after.png.equals(before.png)).toBe(true);
  });
});
