import { describe, expect, it } from 'vitest';
import AppealEmail from '../../emails/appeal';
import ConfirmEmail from '../../emails/confirm';
import DigestEmail from '../../emails/digest';
import WelcomeEmail from '../../emails/welcome';
import { chromiumForFile } from '../support/chromium-for-file';
import { renderAppealEmail, renderConfirmEmail, renderDigestEmail, renderWelcomeEmail } from '../../src/emails/render';

/**
 * The emails laid out by a real browser (Debian's Chromium), at desktop and phone widths, in
 * light and dark mode: what a reader would see go wrong if a template broke.
 */
const browser = chromiumForFile();

const emails = {
  confirm: () => renderConfirmEmail(ConfirmEmail.PreviewProps),
  welcome: () => renderWelcomeEmail(WelcomeEmail.PreviewProps),
  digest: () => renderDigestEmail(DigestEmail.PreviewProps),
  appeal: () => renderAppealEmail(AppealEmail.PreviewProps),
};

interface Measured {
  columnWidth: number;
  scrollWidth: number;
  buttonHeights: number[];
  /** Width of each story's text (its headline's box) and the size of its excerpt type. */
  stories: { textWidth: number; fontSize: number; pictureRight: boolean | null }[];
  /** Visible text whose colour is too close to the background behind it (WCAG AA, 4.5:1). */
  lowContrast: string[];
}

async function measure(html: string, width: number, colorScheme: 'light' | 'dark'): Promise<Measured> {
  const page = await browser().newPage({ viewport: { width, height: 900 } });
  try {
    await page.route('**/*', (route) => route.abort());
    await page.emulateMedia({ colorScheme });
    await page.setContent(html);
    return await page.evaluate(() => {
      const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el: Element | null): number[] => {
        for (; el; el = el.parentElement) {
          const c = rgb(getComputedStyle(el).backgroundColor);
          if (c.length === 3 || (c[3] ?? 0) > 0) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const lowContrast: string[] = [];
      for (const el of document.body.querySelectorAll('*')) {
        const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent?.trim());
        if (!ownText || el.getClientRects().length === 0) continue;
        const style = getComputedStyle(el);
        if (style.opacity === '0' || style.display === 'none') continue;
        const [a, b] = [luminance(rgb(style.color)), luminance(background(el))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) lowContrast.push(`${el.textContent?.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
      }
      const column = document.querySelector('.qw') /* cls.paper: this runs in the page */ as HTMLElement;
      const stories = [...document.querySelectorAll('h3')].map((h) => {
        const cell = h.closest('td') as HTMLElement;
        const picture = cell.parentElement?.querySelector('img');
        const excerpt = cell.querySelector('p:not(.qk):not(.qy)' /* cls.kicker, cls.byline */) ?? h;
        return {
          textWidth: h.getBoundingClientRect().width,
          fontSize: parseFloat(getComputedStyle(excerpt).fontSize),
          pictureRight: picture ? picture.getBoundingClientRect().left > h.getBoundingClientRect().left : null,
        };
      });
      return {
        columnWidth: column.getBoundingClientRect().width,
        scrollWidth: document.documentElement.scrollWidth,
        stories,
        buttonHeights: [...document.querySelectorAll('td.qb a' /* cls.button */)].map((a) => a.getBoundingClientRect().height),
        lowContrast,
      };
    });
  } finally {
    await page.close();
  }
}

describe('digest stories in Chromium', () => {
  it('keep at least 240px of 16–18px text on a 375px phone, the picture stacked above', async () => {
    const m = await measure((await emails.digest()).html, 375, 'light');
    expect(m.stories.length).toBeGreaterThan(2);
    for (const story of m.stories) {
      expect(story.textWidth).toBeGreaterThanOrEqual(240);
      expect(story.fontSize).toBeGreaterThanOrEqual(16);
      expect(story.fontSize).toBeLessThanOrEqual(18);
      expect(story.pictureRight).not.toBe(true);
    }
  });

  it('show the small pictures beside the text on desktop', async () => {
    const m = await measure((await emails.digest()).html, 800, 'light');
    const beside = m.stories.filter((s) => s.pictureRight !== null).slice(1);
    expect(beside.length).toBeGreaterThan(0);
    for (const story of beside) expect(story.pictureRight).toBe(true);
  });
});

/** The top border of each story's cells, by row: what separates a story from the one above. */
async function storyRules(html: string, width: number): Promise<{ cells: string[]; top: number[] }[]> {
  const page = await browser().newPage({ viewport: { width, height: 900 } });
  try {
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html);
    return await page.evaluate(() =>
      [...document.querySelectorAll('h3')].slice(1).map((h) => {
        const cells = [...(h.closest('tr') as HTMLElement).children] as HTMLElement[];
        return {
          cells: cells.map((c) => getComputedStyle(c).borderTopWidth),
          top: cells.map((c) => Math.round(c.getBoundingClientRect().top)),
        };
      }),
    );
  } finally {
    await page.close();
  }
}

describe('the rules between the other stories', () => {
  it('run across the row on desktop, and stay above the picture when a phone stacks it', async () => {
    const html = (await emails.digest()).html;
    const [first, ...rest] = await storyRules(html, 600);
    expect(first?.cells.every((w) => w === '0px')).toBe(true);
    for (const row of rest) {
      expect(row.cells.every((w) => w === '1px')).toBe(true);
      expect(new Set(row.top).size).toBe(1);
    }
    for (const row of (await storyRules(html, 375)).slice(1)) {
      // Picture and text stacked: one rule, the first cell's; none between picture and text.
      expect(row.cells.slice(1).every((w) => w === '0px')).toBe(true);
      expect(row.cells[0]).toBe('1px');
    }
  });
});

describe.each(Object.keys(emails))('%s in Chromium', (name) => {
  const render = emails[name as keyof typeof emails];

  it('is one column of at most 600px on desktop, with buttons at least 44px tall', async () => {
    const m = await measure((await render()).html, 800, 'light');
    expect(m.columnWidth).toBe(600);
    expect(m.buttonHeights.length).toBeGreaterThan(0);
    for (const h of m.buttonHeights) expect(h).toBeGreaterThanOrEqual(44);
  });

  it('fits a 375px phone without sideways scrolling', async () => {
    const m = await measure((await render()).html, 375, 'light');
    expect(m.columnWidth).toBeLessThanOrEqual(375);
    expect(m.scrollWidth).toBeLessThanOrEqual(375);
  });

  it.each(['light', 'dark'] as const)('keeps every text readable in %s mode', async (scheme) => {
    const m = await measure((await render()).html, 600, scheme);
    expect(m.lowContrast).toEqual([]);
  });
});
