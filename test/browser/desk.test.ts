import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/admin/accounts';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { runSendLoop } from '../../src/sending/send-loop';
import { startFeedServer, type FeedServer } from '../articles/support/feed-server';
import { DESK_SHOTS, launchChromium, shootDesk } from '../support/browser';
import { seedReaders } from '../support/factories';
import { startFakeResend } from '../support/fake-resend';
import type { FakeResend } from '../support/fake-resend/types';
import { listen } from '../support/serve';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';

/**
 * The editors' desk as an editor meets it, in Debian's Chromium: sign in, read the feed, build
 * and curate the weekly digest, fix a preflight failure, preview, test-send, send to a few
 * readers through the local Resend-compatible server, watch it finish, read its results; write
 * and send an appeal; a viewer cannot send. Screenshots of the main pages at 1280 and 375 px,
 * light and dark, go to test-results/desk/.
 */
const SHOTS = DESK_SHOTS;
const PASSWORD = 'a long editor password';
let browser: Browser;
let t: TestApp;
let fake: FakeResend;
let site: FeedServer;
let broadside: Awaited<ReturnType<typeof listen>>;

const rss = (base: string) => `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Riverside Ledger</title><link>${base}/</link><description>Local news</description>
${['council-votes-on-river-park', 'bridge-reopens-after-two-years', 'school-board-budget']
  .map(
    (slug, i) => `<item><title>${['Council votes on the river park', 'The bridge reopens after two years', 'What the school budget pays for'][i]}</title>
<link>${base}/2026/11/${slug}/</link><guid>${base}/?p=${100 + i}</guid><dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Ines Marlow</dc:creator>
<pubDate>${new Date(Date.now() - (i + 1) * 3600_000).toUTCString()}</pubDate><description>What happened, and what comes next for the ${slug.split('-')[0]}.</description></item>`,
  )
  .join('\n')}
</channel></rss>`;

beforeAll(async () => {
  const page = (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Article</h1>');
  let feedXml = '';
  site = await startFeedServer({
    '/': page,
    '/feed': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml),
    '/donate': page,
    '/2026/11/council-votes-on-river-park/': page,
    '/2026/11/bridge-reopens-after-two-years/': page,
    '/2026/11/school-board-budget/': page,
  });
  const siteUrl = site.url('');
  feedXml = rss(siteUrl);
  fake = await startFakeResend({ rate: Infinity });
  broadside = await listen();
  t = await createTestApp({
    realClock: true,
    env: { PUBLIC_URL: broadside.url, SITE_URL: siteUrl, FEED_URL: site.url('/feed'), RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url, SEND_RATE: '50' },
    mailer: () => new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000 }),
    clientIp: (c) => getConnInfo(c).remote.address,
  });
  broadside.setFetch((req, env) => t.app.fetch(req, env));
  await seedReaders(t.db, 3);
  // Sign-ups over the last weeks (still waiting for confirmation, so not in the audience).
  for (let i = 0; i < 60; i++) {
    await t.db.run(sql`insert into subscribers (email, status, consent_at, consent_source) values (${`new-${i}@example.org`}, 'pending', ${Date.now() - ((i * 7) % 80) * 24 * 3600_000}, ${`${siteUrl}/2026/11/council-votes-on-river-park/`})`);
  }
  await createAccount(t.db, { email: 'editor@news.example.org', name: 'Ines Marlow', role: 'editor', password: PASSWORD, now: Date.now() });
  await createAccount(t.db, { email: 'viewer@news.example.org', role: 'viewer', password: PASSWORD, now: Date.now() });
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await broadside?.close();
  await site?.close();
  await fake?.stop();
  t?.close();
});

async function signIn(context: BrowserContext, email: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${broadside.url}/admin/campaigns`);
  expect(new URL(page.url()).pathname).toBe('/admin/login');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${broadside.url}/admin/campaigns`, { timeout: 5000 }).catch(async (e) => {
    throw new Error(`${page.url()} ${(await page.textContent('body'))?.slice(0, 500)}`);
  });
  return page;
}


/** The admin API over the real socket, with the bearer token (as the CLI calls it). */
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${broadside.url}${path}`, { ...init, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json', ...init.headers } });

const flash = (page: Page) => page.locator('[role=status] .flash').textContent();
const sendLoop = () => runSendLoop(t.deps, { untilIdle: true, idleMs: 20, policy: { leaseMs: 5000, baseBackoffMs: 20, maxBackoffMs: 200, outageMs: 60_000 } });

describe('the editors\u2019 desk in Chromium', { timeout: 60_000 }, () => {
  let editor: Page;

  it('an editor signs in, reads the feed and builds this week\u2019s digest', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const login = await context.newPage();
    await login.goto(`${broadside.url}/admin/login`);
    await shootDesk(login, 'login');
    await login.close();
    editor = await signIn(context, 'editor@news.example.org');

    await editor.getByRole('link', { name: 'Articles' }).click();
    await editor.getByRole('button', { name: 'Refresh now' }).click();
    expect(await flash(editor)).toContain('3 new');
    await expect.poll(() => editor.locator('table tbody tr').count()).toBe(3);
    await shootDesk(editor, 'articles');

    await editor.getByRole('link', { name: 'Weekly digest' }).click();
    await editor.getByRole('button', { name: 'Build this week’s draft' }).click();
    expect(await flash(editor)).toContain('ready with 3 articles');
  });

  it('reorders the digest, fixes a preflight failure, previews it', async () => {
    const titles = () => editor.locator('ol.articles li strong').allTextContents();
    const before = await titles();
    expect(before).toHaveLength(3);
    // Keyboard only: focus the first article's "Down" button and press Enter.
    await editor.getByRole('button', { name: /^Move “.*” down$/ }).first().focus();
    await Promise.all([editor.waitForNavigation(), editor.keyboard.press('Enter')]);
    const after = await titles();
    expect(after[0]).toContain(before[1]!.replace(/^\d+\. /, ''));
    expect(after[1]).toContain(before[0]!.replace(/^\d+\. /, ''));

    await editor.getByRole('textbox', { name: /^Subject/ }).fill('This week: the park, the bridge and the budget');
    await editor.getByLabel(/^Intro/).fill('Good morning. **TK** quote from the mayor.');
    // The live preview (the desk script) renders the Markdown as the email will.
    const live = editor.frameLocator('.live-preview iframe');
    await expect.poll(() => live.locator('strong').textContent()).toBe('TK');
    await editor.getByRole('button', { name: 'Save' }).click();
    expect(await flash(editor)).toBe('Saved.');
    await shootDesk(editor, 'digest-editor');

    await editor.getByRole('link', { name: 'Check & send' }).click();
    await expect.poll(() => editor.locator('[data-check="placeholders"]').getAttribute('data-ok')).toBe('false');
    await shootDesk(editor, 'preflight-failing');
    await editor.getByRole('link', { name: 'Edit' }).click();
    await editor.getByLabel(/^Intro/).fill('Good morning. The mayor answered our questions about the park.');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.getByRole('link', { name: 'Check & send' }).click();
    for (const check of ['links', 'placeholders', 'images', 'size', 'subject', 'audience']) {
      expect(await editor.locator(`[data-check="${check}"]`).getAttribute('data-ok'), check).toBe('true');
    }
    await shootDesk(editor, 'preflight');

    await editor.getByRole('link', { name: 'Preview' }).click();
    const frames = editor.locator('.previews iframe');
    expect(await frames.count()).toBe(2);
    expect(await frames.nth(0).getAttribute('sandbox')).toBe('');
    expect(await frames.nth(1).evaluate((f) => (f as HTMLIFrameElement).getBoundingClientRect().width)).toBe(375);
    await expect.poll(() => editor.frameLocator('.previews iframe >> nth=0').getByText('The mayor answered').count()).toBeGreaterThan(0);
    expect(await editor.locator('pre.text').textContent()).toContain('The mayor answered');
    await shootDesk(editor, 'preview');
  });

  it('test-sends, sends to the readers after a confirmation naming them, and watches it finish', async () => {
    await editor.getByRole('link', { name: 'Check & send' }).click();
    await editor.getByLabel(/^To/).fill('editor@news.example.org');
    await editor.getByRole('button', { name: 'Send a test' }).click();
    expect(await flash(editor)).toContain('Test sent to editor@news.example.org');
    expect(fake.emails().map((e) => e.subject)).toContain('[Test] This week: the park, the bridge and the budget');

    await editor.getByLabel('Send now').check();
    await editor.getByRole('button', { name: 'Review and send…' }).click();
    await expect.poll(() => editor.locator('#confirm-h').textContent()).toBe('Send to 3 readers now?');
    await shootDesk(editor, 'confirm');
    await editor.getByRole('button', { name: 'Yes, send to 3 readers' }).click();
    expect(await flash(editor)).toContain('Sending to 3 readers');
    await shootDesk(editor, 'progress');
    await sendLoop();
    // The desk script polls the progress and reloads the page when the send ends.
    await expect.poll(() => editor.locator('[data-field="summary"]').textContent(), { timeout: 15_000 }).toBe('Finished.');
    expect(await editor.locator('[data-field="sent"]').textContent()).toBe('3');
    const bulk = fake.emails().filter((e) => e.subject === 'This week: the park, the bridge and the budget');
    expect(bulk.flatMap((e) => e.to).sort()).toHaveLength(3);

    await editor.getByRole('link', { name: 'Results' }).first().click();
    expect(await editor.locator('[data-figure="sent"] strong').textContent()).toBe('3');
    await shootDesk(editor, 'results');
    await editor.getByRole('link', { name: 'Dashboard' }).click();
    expect(await editor.locator('#latest-h + .table-wrap').textContent()).toContain('This week: the park, the bridge and the budget');
    expect(await editor.textContent('body')).toMatch(/Sending domain\s*news\.example\.org:\s*verified/);
    await shootDesk(editor, 'dashboard');
    await editor.getByRole('link', { name: 'Sign-ups' }).click();
    expect(await editor.locator('main table').textContent()).toContain('Council votes on the river park');
    await shootDesk(editor, 'signups');
  });

  it('at phone width every section of the nav is on screen, without sideways scrolling', async () => {
    const page = await signIn(await browser.newContext(), 'editor@news.example.org');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${broadside.url}/admin`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const links = page.getByRole('navigation', { name: 'Desk' }).getByRole('link');
    expect(await links.count()).toBeGreaterThanOrEqual(7);
    for (const link of await links.all()) {
      const box = (await link.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
    }
    await page.getByRole('navigation', { name: 'Desk' }).getByRole('link', { name: 'Readers' }).click();
    await page.waitForURL(`${broadside.url}/admin/readers`);
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await page.context().close();
  });

  it('writes and sends an appeal', async () => {
    await editor.goto(`${broadside.url}/admin/campaigns/new?kind=appeal`);
    await editor.getByRole('textbox', { name: /^Subject/ }).fill('Keep the Ledger independent this winter');
    await editor.getByLabel(/^Letter/).fill('Dear reader,\n\nEvery story we publish is paid for by **readers like you**.');
    // The live preview works before the first save (nothing is stored yet), in a sandboxed frame.
    await expect.poll(() => editor.frameLocator('.live-preview iframe').locator('strong').textContent()).toBe('readers like you');
    expect(await editor.locator('.live-preview iframe').getAttribute('sandbox')).toBe('');
    await editor.getByLabel('Donate link').fill(site.url('/donate'));
    await editor.getByLabel(/^Progress line/).fill('1,240 readers have given this year');
    await editor.getByLabel(/^Progress bar/).fill('62');
    await editor.getByRole('button', { name: 'Create appeal' }).click();
    expect(await flash(editor)).toContain('Draft created');
    // And on the saved draft's page, from what was stored.
    await expect.poll(() => editor.frameLocator('.live-preview iframe').locator('strong').textContent()).toBe('readers like you');
    await shootDesk(editor, 'appeal-editor');
    await editor.getByRole('link', { name: 'Check & send' }).click();
    await editor.getByRole('button', { name: 'Review and send…' }).click();
    await editor.getByRole('button', { name: 'Yes, send to 3 readers' }).click();
    await sendLoop();
    await expect.poll(() => editor.locator('[data-field="summary"]').textContent(), { timeout: 15_000 }).toBe('Finished.');
    expect(fake.emails().filter((e) => e.subject === 'Keep the Ledger independent this winter').flatMap((e) => e.to)).toHaveLength(3);
    await editor.getByRole('link', { name: 'Campaigns' }).click();
    await shootDesk(editor, 'campaigns');
    await editor.context().close();
  });

  it('a viewer reads everything but cannot send, not even with a hand-made request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const viewer = await signIn(context, 'viewer@news.example.org');
    const draft = await (await api('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'appeal', subject: 'A draft the viewer sees', body: 'Text.', donateUrl: site.url('/donate') }) })).json();
    await viewer.goto(`${broadside.url}/admin/campaigns/${draft.id}/send`);
    expect(await viewer.getByRole('button', { name: 'Review and send…' }).count()).toBe(0);
    expect(await viewer.textContent('main')).toContain('can read the desk but not send');
    const status = await viewer.evaluate(async (id) => {
      const token = (document.querySelector('input[name=_csrf]') as HTMLInputElement).value;
      const res = await fetch(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { 'x-csrf-token': token } });
      return res.status;
    }, draft.id);
    expect(status).toBe(403);
    expect((await (await api(`/admin/api/campaigns/${draft.id}`)).json()).status).toBe('draft');
    await context.close();
  });
});
