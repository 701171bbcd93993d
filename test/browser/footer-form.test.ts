import { mkdirSync } from 'node:fs';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { listen } from '../support/serve';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The footer form as a reader meets it: embedded in an article on the news site's own origin
 * (a different origin from Broadside), in real Chromium, with JavaScript on and off.
 */
let browser: Browser;
let t: TestApp;
let broadside: Awaited<ReturnType<typeof listen>>;
let site: Awaited<ReturnType<typeof listen>>;
let articleUrl: string;

beforeAll(async () => {
  broadside = await listen();
  site = await listen();
  // "localhost" vs "127.0.0.1" on different ports: two origins, as a WordPress site and Broadside are.
  const siteOrigin = `http://localhost:${site.port}`;
  articleUrl = `${siteOrigin}/2026/11/council-votes-on-river-park/`;
  t = await createTestApp({
    env: { PUBLIC_URL: broadside.url, SITE_URL: siteOrigin, ALLOWED_ORIGINS: siteOrigin },
    clientIp: (c) => getConnInfo(c).remote.address,
  });
  // Real sockets: the client IP comes from the connection, as on Node in production.
  broadside.setFetch((req, env) => t.app.fetch(req, env));
  const snippet = await (await t.app.request('/embed/snippet')).text();
  site.setHandler((req, res) => {
    const noJs = req.url?.includes('nojs');
    // With JavaScript off the page must name the article itself, as the README's PHP snippet does.
    const form = noJs ? snippet.replace('<input type="hidden" name="consent"', `<input type="hidden" name="source" value="${articleUrl}"/><input type="hidden" name="consent"`) : snippet;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Council votes on river park</title></head>
      <body style="font:18px/1.5 Georgia,serif;max-width:40rem;margin:2rem auto">
      <article><h1>Council votes on river park</h1><p>The vote was close, and the park is coming.</p></article>
      <footer>${form}</footer></body></html>`);
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await broadside?.close();
  t?.close();
});

async function readerOf(email: string) {
  const body = await (await t.admin(`/admin/api/subscribers?q=${encodeURIComponent(email)}`)).json();
  return body.subscribers.find((s: { email: string }) => s.email === email);
}

describe('footer form in Chromium', () => {
  it('with JavaScript on: subscribes in place from another origin, keyboard only', async () => {
    const page = await browser.newPage();
    await page.goto(articleUrl);
    await page.waitForSelector('form[data-broadside-ready]');
    const label = page.getByLabel('Your email address');
    await label.focus();
    await page.keyboard.type('js-reader@example.org');
    await page.keyboard.press('Enter');
    const message = page.locator('.broadside-message');
    await expect.poll(() => message.textContent()).toContain('check your inbox');
    expect(page.url()).toBe(articleUrl); // no page change
    mkdirSync('data/screenshots', { recursive: true });
    await page.screenshot({ path: 'data/screenshots/footer-form-success.png', fullPage: true });

    const r = await readerOf('js-reader@example.org');
    expect(r).toMatchObject({ status: 'pending' });
    expect(r.consent.source).toBe(articleUrl);
    expect(r.consent.ip).toBe('127.0.0.1');
    const mail = await t.outbox();
    expect(mail.filter((m) => m.to === 'js-reader@example.org')).toHaveLength(1);
    await page.close();
  });

  it('with JavaScript on: shows the error next to the field, announced, and keeps the input', async () => {
    const page = await browser.newPage();
    await page.goto(articleUrl);
    await page.waitForSelector('form[data-broadside-ready]');
    // Passes the browser's own check but not the server's (no dot in the domain).
    await page.getByLabel('Your email address').fill('someone@localhost');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const message = page.locator('#broadside-message');
    await expect.poll(() => message.textContent()).toContain('email address does not look right');
    expect(await message.getAttribute('role')).toBe('status');
    expect(await page.getByLabel('Your email address').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your email address').inputValue()).toBe('someone@localhost');
    await page.screenshot({ path: 'data/screenshots/footer-form-error.png', fullPage: true });
    expect(await readerOf('someone@localhost')).toBeUndefined();
    await page.close();
  });

  it('with JavaScript off: a plain POST lands on the "check your inbox" page', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${articleUrl}?nojs=1`);
    await page.getByLabel('Your email address').fill('no-js@example.org');
    await Promise.all([page.waitForURL(`${broadside.url}/subscribe`), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    expect(await page.getByRole('link', { name: 'Back to the article' }).getAttribute('href')).toBe(articleUrl);
    const r = await readerOf('no-js@example.org');
    expect(r).toMatchObject({ status: 'pending' });
    expect(r.consent.source).toBe(articleUrl);
    await context.close();
  });

  it('the script stays under 5 KB and the form has no external fonts or trackers', async () => {
    const script = await (await t.app.request('/embed.js')).text();
    expect(new TextEncoder().encode(script).length).toBeLessThan(5 * 1024);
    const snippet = await (await t.app.request('/embed/snippet')).text();
    const urls = [...snippet.matchAll(/(?:href|src|action)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(broadside.url)).toBe(true);
  });
});
