import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run), never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: run .ci/run, or apt-get install chromium`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    // The background-networking flags keep Chromium from calling home on a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where the desk's screenshots go: a test artefact to look at, desktop and phone, light and dark. */
export const DESK_SHOTS = 'test-results/desk';

/**
 * Screenshots of the page at desktop and phone width, light and dark, once what the page's
 * scripts asked for has arrived (a live preview fills its frame after a request of its own).
 */
export async function shootDesk(page: Page, name: string) {
  // Bounded: a page that polls for progress is never idle for long.
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => undefined);
  for (const [w, h] of [[1280, 900], [375, 812]] as const) {
    await page.setViewportSize({ width: w, height: h });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${DESK_SHOTS}/${name}-${w}-${scheme}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
