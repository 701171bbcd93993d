import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';

/**
 * One Chromium for a whole test file: launched before its tests, closed after them. Call it at
 * the file's top level; the function it returns gives the browser inside a test.
 */
export function chromiumForFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: chromiumForFile() runs it in beforeAll');
    return browser;
  };
}
