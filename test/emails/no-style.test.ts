import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import DigestEmail from '../../emails/digest';
import { cls, colour, font } from '../../emails/_components/theme';
import { renderDigestEmail } from '../../src/emails/render';
import { chromiumForFile } from '../support/chromium-for-file';
import { withoutStyleSheets } from './helpers';

/**
 * Some clients drop every <style> of an email (Gmail's apps with a non-Google account, Gmail's
 * mobile webmail, some webmail): there the stories' class rules (storyCss) are gone, and the
 * digest must still read as the publication's: colours and families from the inline styles,
 * headings bold and larger than the text by the browser's own sizes, links coloured and
 * underlined, pictures at their size. `npx tsx scripts/email-screenshots.ts` photographs it
 * (data/screenshots/digest-no-style-*.png).
 */
const browser = chromiumForFile();

const rgb = (hex: string) => {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
};

interface Look {
  size: number;
  weight: number;
  family: string;
  colour: string;
  underline: boolean;
}

function present(look: Look | null): Look {
  if (!look) throw new Error('a story lacks one of its parts');
  return look;
}

async function open(html: string, width: number): Promise<Page> {
  const page = await browser().newPage({ viewport: { width, height: 900 } });
  // Pictures answered locally (any size: the email's attributes size them), nothing else loads.
  await page.route('**/*', (route) =>
    /\.jpe?g$/.test(route.request().url())
      ? route.fulfill({ contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10"/>' })
      : route.abort(),
  );
  await page.setContent(html, { waitUntil: 'load' });
  return page;
}

async function stories(page: Page) {
  return page.evaluate((section) => {
    const look = (el: Element | null) => {
      if (!el) return null;
      const s = getComputedStyle(el);
      return {
        size: parseFloat(s.fontSize),
        weight: Number(s.fontWeight),
        family: s.fontFamily,
        colour: s.color,
        underline: s.textDecorationLine.includes('underline'),
      };
    };
    return {
      styleSheets: document.styleSheets.length,
      sections: [...document.querySelectorAll(`h2.${section}`)].map(look),
      stories: [...document.querySelectorAll('h3')].map((h) => {
        const cell = h.closest('td') as HTMLElement;
        const ps = [...cell.querySelectorAll('p')];
        const links = [...cell.querySelectorAll('a')];
        return {
          cell: look(cell),
          kicker: look(ps.find((p) => p.querySelector('b')) ?? null),
          kickerBold: look(cell.querySelector('p > b')),
          headline: look(h),
          headlineLink: look(h.querySelector('a')),
          byline: look(ps.find((p) => p.textContent?.startsWith('By ')) ?? null),
          excerpt: look(ps.at(-1) ?? null),
          readMore: look(links.find((a) => a.textContent === 'Read more') ?? null),
        };
      }),
      pictures: [...document.querySelectorAll('img')].map((img) => ({
        attributes: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
        shown: [img.getBoundingClientRect().width, img.getBoundingClientRect().height].map(Math.round),
      })),
      scrollWidth: document.documentElement.scrollWidth,
    };
  }, cls.section);
}

describe('the digest in a client that drops <style>', () => {
  it('keeps the stories’ colours and families, larger bold headings, visible links and sized pictures', async () => {
    const { html } = await renderDigestEmail(DigestEmail.PreviewProps);
    const bare = withoutStyleSheets(html);
    expect(bare).not.toMatch(/<style|\[if mso\]/);
    const page = await open(bare, 600);
    try {
      const found = await stories(page);
      expect(found.styleSheets).toBe(0);
      expect(found.stories.length).toBeGreaterThan(4);
      for (const s of found.stories) {
        const [cell, kicker, bold, headline, link, byline, excerpt, more] = [
          present(s.cell),
          present(s.kicker),
          present(s.kickerBold),
          present(s.headline),
          present(s.headlineLink),
          present(s.byline),
          present(s.excerpt),
          present(s.readMore),
        ] as const;
        // The body text is the cell's 15px sans and the excerpt's serif; the headline is larger
        // than both, bold and serif.
        expect(cell.size).toBe(15);
        expect(headline.size).toBeGreaterThan(Math.max(cell.size, excerpt.size));
        expect(headline.weight).toBeGreaterThanOrEqual(700);
        expect(headline.family).toMatch(/^Georgia/);
        expect(excerpt.family).toMatch(/^Georgia/);
        expect(cell.family).toMatch(/^-apple-system/);
        expect(link.colour).toBe(rgb(colour.ink));
        expect(kicker.colour).toBe(rgb(colour.accent));
        expect(bold.weight).toBeGreaterThanOrEqual(700);
        expect(byline.colour).toBe(rgb(colour.muted));
        expect(more.colour).toBe(rgb(colour.link));
        expect(more.underline).toBe(true);
      }
      expect(found.sections).toHaveLength(2);
      for (const h of found.sections as Look[]) {
        expect(h.colour).toBe(rgb(colour.accent));
        expect(h.weight).toBeGreaterThanOrEqual(700);
        expect(h.size).toBeGreaterThan(15);
      }
      // Each picture at its attributes' size: the lead's across the 552px column, the others 112px.
      expect(found.pictures.length).toBeGreaterThan(3);
      for (const p of found.pictures) expect(p.shown).toEqual(p.attributes);
    } finally {
      await page.close();
    }
  });

  it('where <style> is honoured, sets the headlines and excerpts in the full serif stack, not the inline fallback', async () => {
    const { html } = await renderDigestEmail(DigestEmail.PreviewProps);
    for (const [page, family] of [
      [html, font.serif],
      [withoutStyleSheets(html), font.serifInline],
    ] as const) {
      const tab = await open(page, 600);
      try {
        const found = await stories(tab);
        const families = new Set(found.stories.flatMap((s) => [s.headline?.family, s.excerpt?.family]));
        expect([...families]).toEqual([family.split(',').map((f) => (f.includes(' ') ? `"${f}"` : f)).join(', ')]);
      } finally {
        await tab.close();
      }
    }
  });

  it('fits a 375px phone: the lead picture keeps its inline width', async () => {
    const { html } = await renderDigestEmail(DigestEmail.PreviewProps);
    const page = await open(withoutStyleSheets(html), 375);
    try {
      const found = await stories(page);
      expect(found.scrollWidth).toBeLessThanOrEqual(375);
      expect(found.pictures[0]?.shown[0]).toBeLessThan(375);
    } finally {
      await page.close();
    }
  });
});
