/**
 * Renders every email template with its PreviewProps and photographs it in Chromium at desktop
 * (600px) and phone (375px) widths, light and dark, into ./data/screenshots/ (git-ignored).
 *
 *   npx tsx scripts/email-screenshots.ts [chromium path]
 *
 * Also the digest as a client that drops every <style> shows it (digest-no-style-*.png, light
 * only: such a client has no dark-mode rules either; test/emails/no-style.test.ts checks it).
 *
 * The sample images live on an invented domain; requests for them are answered locally with
 * generated pictures, and nothing else may leave the machine.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import AlreadySubscribedEmail from '../emails/already-subscribed';
import AppealEmail from '../emails/appeal';
import ConfirmEmail from '../emails/confirm';
import DigestEmail from '../emails/digest';
import WelcomeEmail from '../emails/welcome';
import {
  renderAlreadySubscribedEmail,
  renderAppealEmail,
  renderConfirmEmail,
  renderDigestEmail,
  renderWelcomeEmail,
} from '../src/emails/render';
import { withoutStyleSheets } from '../test/emails/helpers';

const outDir = join(process.cwd(), 'data', 'screenshots');
const executablePath = process.argv[2] ?? '/usr/bin/chromium';

const emails = {
  confirm: () => renderConfirmEmail(ConfirmEmail.PreviewProps),
  welcome: () => renderWelcomeEmail(WelcomeEmail.PreviewProps),
  'already-subscribed': () => renderAlreadySubscribedEmail(AlreadySubscribedEmail.PreviewProps),
  digest: () => renderDigestEmail(DigestEmail.PreviewProps),
  appeal: () => renderAppealEmail(AppealEmail.PreviewProps),
};

const viewports = { desktop: 600, phone: 375 } as const;
const schemes = ['light', 'dark'] as const;

/** A calm stand-in photograph: two tones and a horizon, different for every URL. */
function samplePicture(url: string): string {
  let hash = 0;
  for (const c of url) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  const hue = hash % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800" viewBox="0 0 1200 800">
  <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue},28%,72%)"/><stop offset="1" stop-color="hsl(${hue},30%,38%)"/>
  </linearGradient></defs>
  <rect width="1200" height="800" fill="url(#g)"/>
  <path d="M0 560 Q300 470 600 540 T1200 520 V800 H0Z" fill="hsl(${(hue + 40) % 360},22%,28%)"/>
  <circle cx="${300 + (hash % 600)}" cy="220" r="70" fill="hsl(${hue},40%,88%)" opacity="0.8"/>
</svg>`;
}

async function answer(route: Route): Promise<void> {
  const url = route.request().url();
  if (/\.(jpe?g|png|webp|gif)(\?|$)/i.test(url)) {
    await route.fulfill({ status: 200, contentType: 'image/svg+xml', body: samplePicture(url) });
  } else {
    await route.abort();
  }
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const browser = await launchChromium(executablePath);
  try {
    const digestWithoutStyle = async () => {
      const { html, text } = await renderDigestEmail(DigestEmail.PreviewProps);
      return { html: withoutStyleSheets(html), text };
    };
    for (const [name, renderEmail] of [...Object.entries(emails), ['digest-no-style', digestWithoutStyle] as const]) {
      const { html, text } = await renderEmail();
      await writeFile(join(outDir, `${name}.html`), html);
      await writeFile(join(outDir, `${name}.txt`), text);
      for (const [device, width] of Object.entries(viewports)) {
        for (const colorScheme of name === 'digest-no-style' ? (['light'] as const) : schemes) {
          const page = await browser.newPage({ viewport: { width, height: 800 } });
          await page.route('**/*', answer);
          await page.emulateMedia({ colorScheme });
          await page.setContent(html, { waitUntil: 'load' });
          const file = join(outDir, `${name}-${device}-${colorScheme}.png`);
          await page.screenshot({ path: file, fullPage: true });
          await page.close();
          console.log(file);
        }
      }
    }
  } finally {
    await browser.close();
  }
}

await main();
