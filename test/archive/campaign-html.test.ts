import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/sending/send-loop';
import { launchChromium } from '../support/browser';
import { seedReaders } from '../support/factories';
import { listen } from '../support/serve';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Campaign HTML is untrusted on Broadside's own pages. A custom campaign with
 * <mj-raw><script>…</script></mj-raw> ran its script on /archive/:id, where it could read the
 * admin API with an editor's cookie.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { TRACK_CLICKS: 'false' } });
});
afterEach(() => t.close());

const mjml = (body: string) =>
  `<mjml><mj-body><mj-section><mj-column>${body}<mj-text><a href="{{unsubscribe_url}}">Leave</a></mj-text></mj-column></mj-section></mj-body></mjml>`;
const hostile = {
  raw: '<mj-raw><script>window.pwned = true; fetch("/admin/api/subscribers")</script></mj-raw>',
  onerror: '<mj-text><img src="x" onerror="window.pwned = true"></mj-text>',
  href: '<mj-button href="javascript:window.pwned=true">Click</mj-button>',
  textHref: '<mj-text><a href="JaVaScRiPt:window.pwned=true">link</a></mj-text>',
};
const create = (body: string) =>
  t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'custom', subject: 'Custom', topic: 'appeals', mjml: mjml(body) }) });

/** A sent custom campaign whose stored render is then given active content, as one saved before the check would have. */
async function sentWithStoredHtml(inject: string) {
  await seedReaders(t.db, 1);
  const created = await (await create('<mj-text>Hello readers</mj-text>')).json();
  await t.admin(`/admin/api/campaigns/${created.id}/send`, { method: 'POST' });
  await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
  const { rows } = await t.client.execute({ sql: 'select rendered_html from campaigns where id = ?', args: [created.id] });
  const html = String(rows[0]!.rendered_html).replace('Hello readers', `Hello readers${inject}`);
  await t.client.execute({ sql: 'update campaigns set rendered_html = ? where id = ?', args: [html, created.id] });
  return created.id as number;
}

const INJECTED =
  '<script>window.pwned=1</script><img src="x" onerror="window.pwned=2"><a href="javascript:window.pwned=3">j</a>' +
  '<svg onload="window.pwned=4"></svg><iframe srcdoc="&lt;script&gt;parent.pwned=5&lt;/script&gt;"></iframe><a href="https://news.example.org/ok">ok</a>';

describe('custom MJML cannot carry active content', () => {
  for (const [name, body] of Object.entries(hostile)) {
    it(`${name}: refused with a 400 that says what`, async () => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/contains (a <script> element|an event handler \(onerror=\)|a href= URL)/);
    });
  }

  it('a plain custom campaign is still fine', async () => {
    expect((await create('<mj-text>Hello</mj-text><mj-button href="https://news.example.org/donate">Give</mj-button>')).status).toBe(201);
  });
});

describe('pages that show campaign HTML', () => {
  it('/archive and /archive/:id send a CSP without script and serve no script, handler or javascript: URL', async () => {
    const id = await sentWithStoredHtml(INJECTED);
    for (const path of ['/archive', `/archive/${id}`]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toMatch(/script-src 'none'/);
    }
    const page = await (await t.app.request(`/archive/${id}`)).text();
    expect(page).toContain('Hello readers');
    expect(page).toContain('href="https://news.example.org/ok"');
    expect(page).not.toMatch(/<script|<iframe|\son[a-z]+=|javascript:/i);
  });

  it('the preview and the outbox page are held to the same', async () => {
    const id = await sentWithStoredHtml(INJECTED);
    const preview = await t.admin(`/admin/api/campaigns/${id}/preview`);
    expect(preview.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    expect(await preview.text()).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    // The outbox holds what was sent; put active content in one message as a provider would not refuse it.
    await t.client.execute({ sql: 'update outbox_messages set html = ?', args: [`<html><head></head><body>${INJECTED}</body></html>`] });
    const outbox = await t.admin('/admin/outbox');
    expect(outbox.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
    const html = await outbox.text();
    expect(html).toContain('srcdoc=');
    expect(html).not.toMatch(/&lt;script|onerror=|javascript:/i);
  });
});

describe('in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  it('no injected script runs on /archive/:id', async () => {
    const id = await sentWithStoredHtml(INJECTED);
    const server = await listen();
    server.setFetch(t.app.fetch);
    try {
      const page = await browser.newPage();
      await page.goto(`${server.url}/archive/${id}`);
      await page.waitForLoadState('load');
      expect(await page.evaluate(() => (window as unknown as { pwned?: unknown }).pwned ?? null)).toBeNull();
      expect(await page.textContent('body')).toContain('Hello readers');
      await page.close();
    } finally {
      await server.close();
    }
  });
});
