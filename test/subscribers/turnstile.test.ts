import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { listen } from '../support/serve';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Cloudflare Turnstile on the sign-up form, checked against a local stand-in for siteverify
 * (same request and answer shape): a token it accepts signs the reader up, anything else
 * changes nothing.
 */
let siteverify: Awaited<ReturnType<typeof listen>>;
const seen: URLSearchParams[] = [];
let t: TestApp;

beforeAll(async () => {
  siteverify = await listen((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      seen.push(form);
      const ok = form.get('secret') === 'turnstile-secret' && form.get('response') === 'good-token';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { success: true } : { success: false, 'error-codes': ['invalid-input-response'] }));
    });
  });
});
afterAll(() => siteverify.close());
afterEach(() => t?.close());

const withTurnstile = (verifyUrl: string) =>
  createTestApp({ env: { TURNSTILE_SECRET: 'turnstile-secret', TURNSTILE_SITE_KEY: '0x4AAA-site-key', TURNSTILE_VERIFY_URL: verifyUrl } });

const subscribe = (body: Record<string, string>) =>
  t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '198.51.100.9' }, body: JSON.stringify(body) });

const stored = async () => (await (await t.admin('/admin/api/subscribers')).json()).total as number;

describe('Turnstile', () => {
  it('a token siteverify accepts signs the reader up; the check sends secret, token and IP', async () => {
    t = await withTurnstile(siteverify.url);
    const res = await subscribe({ email: 'human@example.org', 'cf-turnstile-response': 'good-token' });
    expect(res.status).toBe(202);
    expect(await stored()).toBe(1);
    const last = seen.at(-1)!;
    expect(Object.fromEntries(last)).toEqual({ secret: 'turnstile-secret', response: 'good-token', remoteip: '198.51.100.9' });
  });

  it('a missing or refused token is a 400 and stores nothing', async () => {
    t = await withTurnstile(siteverify.url);
    const bodies: Record<string, string>[] = [{ email: 'bot@example.org' }, { email: 'bot@example.org', 'cf-turnstile-response': 'forged' }];
    for (const body of bodies) {
      const res = await subscribe(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/robot/);
    }
    expect(await stored()).toBe(0);
    expect(await t.outbox()).toHaveLength(0);
  });

  it('fails closed with 503 when siteverify cannot be reached', async () => {
    const down = await listen();
    const url = down.url;
    await down.close();
    t = await withTurnstile(url);
    const res = await subscribe({ email: 'human@example.org', 'cf-turnstile-response': 'good-token' });
    expect(res.status).toBe(503);
    expect(await stored()).toBe(0);
  });

  it('the footer form shows the widget and loads its script only when Turnstile is on', async () => {
    t = await withTurnstile(siteverify.url);
    const snippet = await (await t.app.request('/embed/snippet')).text();
    expect(snippet).toContain('class="cf-turnstile" data-sitekey="0x4AAA-site-key"');
    expect(snippet).toContain('challenges.cloudflare.com/turnstile/v0/api.js');
    t.close();
    t = await createTestApp();
    const plain = await (await t.app.request('/embed/snippet')).text();
    expect(plain).not.toContain('turnstile');
  });

  it('refuses a configuration with only one of the two keys', () => {
    expect(() => parseConfig({ TURNSTILE_SECRET: 'x' })).toThrow(/TURNSTILE_SITE_KEY/);
    expect(() => parseConfig({ TURNSTILE_SITE_KEY: 'x' })).toThrow(/TURNSTILE_SECRET/);
  });
});
