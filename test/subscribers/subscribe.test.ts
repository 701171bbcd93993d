import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
  body: new URLSearchParams(fields).toString(),
});

async function reader(email: string) {
  const res = await t.admin(`/admin/api/subscribers?q=${encodeURIComponent(email)}`);
  const body = (await res.json()) as { subscribers: Record<string, any>[] };
  return body.subscribers.find((s) => s.email === email);
}

describe('POST /subscribe: happy paths', () => {
  it('stores a pending reader with the consent record and sends one confirmation email', async () => {
    const res = await t.app.request(
      '/subscribe',
      json({ email: 'Ada@Example.ORG ', name: 'Ada', source: 'https://news.example.org/2026/river' }, { 'user-agent': 'Mozilla/5.0 Test' }),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });

    const r = await reader('Ada@example.org');
    expect(r).toMatchObject({ status: 'pending', name: 'Ada', topics: ['digest', 'appeals'] });
    expect(r!.consent).toMatchObject({
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 Test',
      source: 'https://news.example.org/2026/river',
      wording: expect.any(String),
    });
    expect(r!.consent.at).toBeTruthy();

    const mail = await t.outbox();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.to).toBe('Ada@example.org');
    expect(mail[0]!.html).toContain('/confirm/');
    expect(mail[0]!.text).toContain('/confirm/');
  });

  it('answers a form post with a "check your inbox" page and takes the source from the Referer', async () => {
    const res = await t.app.request('/subscribe', form({ email: 'reader@example.net' }, { referer: 'https://news.example.org/a/story' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Check your inbox');
    expect((await reader('reader@example.net'))!.consent.source).toBe('https://news.example.org/a/story');
  });

  it('keeps only the topics asked for', async () => {
    await t.app.request('/subscribe', json({ email: 'digest-only@example.net', topics: ['digest'] }));
    expect((await reader('digest-only@example.net'))!.topics).toEqual(['digest']);
  });

  it('confirms with a POST, sends a welcome email, and records both in the history', async () => {
    await t.app.request('/subscribe', json({ email: 'eve@example.com' }));
    const [confirmation] = await t.outbox();
    const link = pathOf(linkIn(confirmation!.html, '/confirm'));

    const page = await t.app.request(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await reader('eve@example.com'))!.status).toBe('pending'); // GET changes nothing

    const done = await t.app.request(link, { method: 'POST', headers: { 'x-test-ip': '198.51.100.4' } });
    expect(done.status).toBe(200);
    const r = await reader('eve@example.com');
    expect(r!.status).toBe('active');
    expect(r!.consent.confirmIp).toBe('198.51.100.4');

    const mail = await t.outbox();
    expect(mail).toHaveLength(2);
    const welcome = mail.find((m) => m.id !== confirmation!.id)!;
    expect(welcome.html).toContain('/unsubscribe/');
    expect(welcome.headers['List-Unsubscribe']).toMatch(/^<http:\/\/broadside\.test\/unsubscribe\/[^>]+>$/);
    expect(welcome.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

    const detail = await (await t.admin(`/admin/api/subscribers/${r!.id}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['subscribe_requested', 'confirmation_sent', 'confirmed', 'welcome_sent']),
    );
  });

  it('confirming twice is harmless and sends one welcome email', async () => {
    await t.app.request('/subscribe', json({ email: 'twice@example.com' }));
    const link = pathOf(linkIn((await t.outbox())[0]!.html, '/confirm'));
    const [a, b] = await Promise.all([t.app.request(link, { method: 'POST' }), t.app.request(link, { method: 'POST' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await t.app.request(link, { method: 'POST' })).status).toBe(200);
    expect((await t.outbox()).filter((m) => m.html.includes('/unsubscribe/'))).toHaveLength(1);
  });
});

describe('POST /subscribe: no enumeration, no flooding', () => {
  it('gives an active reader the same answer and no new confirmation', async () => {
    await t.app.request('/subscribe', json({ email: 'known@example.com' }));
    await t.app.request(pathOf(linkIn((await t.outbox())[0]!.html, '/confirm')), { method: 'POST' });
    const before = (await t.outbox()).length;

    const res = await t.app.request('/subscribe', json({ email: 'known@example.com' }));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    const after = await t.outbox();
    expect(after.length).toBe(before + 1);
    expect(after[0]!.html).not.toContain('/confirm/');
    expect(after[0]!.html).toContain('/preferences/');
    expect((await reader('known@example.com'))!.status).toBe('active');
  });

  it('sends at most the configured number of emails per address per day', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await t.app.request('/subscribe', json({ email: 'victim@example.com' }, { 'x-test-ip': `192.0.2.${i + 1}` }));
      expect(res.status).toBe(202);
      t.advance(60_000);
    }
    expect(await t.outbox()).toHaveLength(3);
    t.advance(24 * 3600 * 1000);
    await t.app.request('/subscribe', json({ email: 'victim@example.com' }));
    expect(await t.outbox()).toHaveLength(4);
  });

  it('limits sign-ups per IP address with 429 and Retry-After', async () => {
    const small = await createTestApp({ env: { SUBSCRIBE_IP_LIMIT: '3' } });
    for (let i = 0; i < 3; i++) {
      expect((await small.app.request('/subscribe', json({ email: `n${i}@example.com` }))).status).toBe(202);
    }
    const res = await small.app.request('/subscribe', json({ email: 'n9@example.com' }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.message).toMatch(/too many/i);
    expect(await small.outbox()).toHaveLength(3);
    // Another network is not affected.
    expect((await small.app.request('/subscribe', json({ email: 'n9@example.com' }, { 'x-test-ip': '192.0.2.99' }))).status).toBe(202);
    small.close();
  });

  it('accepts a filled honeypot silently and stores nothing', async () => {
    const res = await t.app.request('/subscribe', json({ email: 'bot@example.com', website: 'http://spam.example' }));
    expect(res.status).toBe(202);
    expect(await reader('bot@example.com')).toBeUndefined();
    expect(await t.outbox()).toHaveLength(0);
  });

  it('two simultaneous sign-ups for one address make one reader', async () => {
    await Promise.all([1, 2, 3].map(() => t.app.request('/subscribe', json({ email: 'race@example.com' }))));
    const list = await (await t.admin('/admin/api/subscribers?q=race')).json();
    expect(list.total).toBe(1);
  });
});

describe('POST /subscribe: bad input gets a clear 4xx and changes nothing', () => {
  const cases: [string, RequestInit, number, RegExp][] = [
    ['missing email', json({ name: 'x' }), 400, /email/],
    ['malformed email', json({ email: 'not-an-address' }), 400, /email address does not look right/],
    ['two addresses', json({ email: 'a@example.com, b@example.com' }), 400, /email/],
    ['header injection in email', json({ email: 'a@example.com\r\nBcc: victim@example.com' }), 400, /email/],
    ['header injection in name', json({ email: 'ok@example.com', name: 'Eve\r\nBcc: x@example.com' }), 400, /single line/],
    ['oversized name', json({ email: 'ok@example.com', name: 'x'.repeat(101) }), 400, /name is too long/],
    ['unknown topic', json({ email: 'ok@example.com', topics: ['sports'] }), 400, /topics/],
    ['javascript: source', json({ email: 'ok@example.com', source: 'javascript:alert(1)' }), 400, /source/],
    ['email of the wrong type', json({ email: 42 }), 400, /email/],
    ['a JSON array', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' }, 400, /object/],
    ['broken JSON', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' }, 400, /not valid JSON/],
    ['text/plain', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'email=a@example.com' }, 415, /application\/json/],
    ['huge body', json({ email: 'ok@example.com', name: 'x'.repeat(40_000) }), 413, /too large/],
  ];
  for (const [name, init, status, message] of cases) {
    it(name, async () => {
      const res = await t.app.request('/subscribe', init);
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.message).toMatch(message);
      const list = await (await t.admin('/admin/api/subscribers')).json();
      expect(list.total).toBe(0);
      expect(await t.outbox()).toHaveLength(0);
    });
  }

  it('shows form posters an HTML error page, not JSON', async () => {
    const res = await t.app.request('/subscribe', form({ email: 'nope' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('email address does not look right');
  });
});

describe('CORS for the footer form', () => {
  it('allows the site origin to post with fetch', async () => {
    const pre = await t.app.request('/subscribe', {
      method: 'OPTIONS',
      headers: { origin: 'https://news.example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://news.example.org');
    const res = await t.app.request('/subscribe', json({ email: 'cors@example.com' }, { origin: 'https://news.example.org' }));
    expect(res.headers.get('access-control-allow-origin')).toBe('https://news.example.org');
  });

  it('gives other origins no CORS permission', async () => {
    const pre = await t.app.request('/subscribe', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
