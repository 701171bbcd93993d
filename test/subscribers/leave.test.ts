import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/tokens';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** Subscribes and confirms a reader; returns their personal links from the welcome email. */
async function activeReader(email: string) {
  await t.app.request('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  const confirmation = (await t.outbox()).find((m) => m.to === email && m.html.includes('/confirm/'))!;
  await t.app.request(pathOf(linkIn(confirmation.html, '/confirm')), { method: 'POST' });
  const welcome = (await t.outbox()).find((m) => m.to === email && m.html.includes('/unsubscribe/'))!;
  return {
    unsubscribe: pathOf(linkIn(welcome.html, '/unsubscribe')),
    preferences: pathOf(linkIn(welcome.html, '/preferences')),
  };
}

const status = async (email: string) => {
  const body = await (await t.admin(`/admin/api/subscribers?q=${encodeURIComponent(email)}`)).json();
  return body.subscribers[0] as { id: number; status: string; topics: string[]; name: string | null };
};

describe('unsubscribe', () => {
  it('GET shows a button and changes nothing; POST unsubscribes', async () => {
    const links = await activeReader('leaver@example.com');
    const page = await t.app.request(links.unsubscribe);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Unsubscribe</button>');
    expect(html).toContain('/preferences/');
    expect((await status('leaver@example.com')).status).toBe('active');

    const res = await t.app.request(links.unsubscribe, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('will not receive any more emails');
    expect((await status('leaver@example.com')).status).toBe('unsubscribed');
  });

  it('RFC 8058 one-click: 200, empty body, no redirect, no cookie, recorded as one-click', async () => {
    const links = await activeReader('oneclick@example.com');
    const res = await t.app.request(links.unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    const r = await status('oneclick@example.com');
    expect(r.status).toBe('unsubscribed');
    const detail = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
    expect(detail.events[0]).toMatchObject({ type: 'unsubscribed', detail: { method: 'one-click' } });

    // A second one-click (mail clients retry) still succeeds and changes nothing.
    const again = await t.app.request(links.unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(again.status).toBe(200);
    const after = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
    expect(after.events.filter((e: { type: string }) => e.type === 'unsubscribed')).toHaveLength(1);
  });

  it('an old confirmation link cannot bring an unsubscribed reader back', async () => {
    await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'gone@example.com' }) });
    const confirm = pathOf(linkIn((await t.outbox())[0]!.html, '/confirm'));
    await t.app.request(confirm, { method: 'POST' });
    const welcome = (await t.outbox()).find((m) => m.html.includes('/unsubscribe/'))!;
    await t.app.request(pathOf(linkIn(welcome.html, '/unsubscribe')), { method: 'POST' });

    const res = await t.app.request(confirm, { method: 'POST', headers: { accept: 'application/json' } });
    expect(res.status).toBe(404);
    expect((await status('gone@example.com')).status).toBe('unsubscribed');
  });
});

describe('preferences', () => {
  it('changes topics and name, and records the change', async () => {
    const links = await activeReader('prefs@example.com');
    const page = await t.app.request(links.preferences);
    expect(await page.text()).toContain('name="topics" value="digest" checked');

    const res = await t.app.request(links.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=save&topics=digest&name=Zo%C3%AB',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your choices are saved');
    const r = await status('prefs@example.com');
    expect(r).toMatchObject({ status: 'active', topics: ['digest'], name: 'Zoë' });
    const detail = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
    expect(detail.events[0]).toMatchObject({
      type: 'preferences_changed',
      detail: { before: { topics: ['digest', 'appeals'] }, after: { topics: ['digest'], name: 'Zoë' } },
    });
  });

  it('unchecking every topic saves "no topics"', async () => {
    const links = await activeReader('none@example.com');
    await t.app.request(links.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=save',
    });
    expect((await status('none@example.com')).topics).toEqual([]);
  });

  it('resubscribing after leaving needs a fresh confirmation', async () => {
    const links = await activeReader('back@example.com');
    await t.app.request(links.unsubscribe, { method: 'POST' });
    t.advance(3600_000);
    const before = (await t.outbox()).length;
    const res = await t.app.request(links.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=resubscribe',
    });
    expect(res.status).toBe(200);
    expect((await status('back@example.com')).status).toBe('pending');
    const mail = await t.outbox();
    expect(mail.length).toBe(before + 1);
    await t.app.request(pathOf(linkIn(mail[0]!.html, '/confirm')), { method: 'POST' });
    expect((await status('back@example.com')).status).toBe('active');
  });

  it('refuses unknown actions and topics with 400 and keeps the reader as they were', async () => {
    const links = await activeReader('bad@example.com');
    for (const body of ['action=delete-everything', 'action=save&topics=sports']) {
      const res = await t.app.request(links.preferences, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
    }
    expect(await status('bad@example.com')).toMatchObject({ status: 'active', topics: ['digest', 'appeals'] });
  });
});

describe('tokens: forged, tampered, wrong purpose, expired', () => {
  it('refuses a tampered token with 404 and changes nothing', async () => {
    const links = await activeReader('victim@example.com');
    const token = links.unsubscribe.split('/').pop()!;
    const [payload, mac] = token.split('.');
    const forgedPayload = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace(/:(\d+):/, ':2:')).toString('base64url');
    for (const bad of [`${forgedPayload}.${mac}`, `${payload}.${mac!.slice(0, -2)}AA`, 'garbage', `${payload}`, `${payload}.${mac}.x`]) {
      const res = await t.app.request(`/unsubscribe/${bad}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(404);
    }
    expect((await status('victim@example.com')).status).toBe('active');
  });

  it('refuses a token signed with another secret', async () => {
    const r = await activeReader('other@example.com');
    expect(r).toBeTruthy();
    const id = (await status('other@example.com')).id;
    const forged = await new TokenSigner('a-completely-different-secret-of-enough-length').sign({
      purpose: 'unsubscribe',
      subscriberId: id,
      issuedAt: 1,
    });
    expect((await t.app.request(`/unsubscribe/${forged}`, { method: 'POST' })).status).toBe(404);
    expect((await status('other@example.com')).status).toBe('active');
  });

  it('refuses a preferences token on the unsubscribe route and an unsubscribe token on the confirm route; an unsubscribe token opens preferences', async () => {
    const links = await activeReader('purpose@example.com');
    const prefToken = links.preferences.split('/').pop();
    const unsubToken = links.unsubscribe.split('/').pop();
    expect((await t.app.request(`/unsubscribe/${prefToken}`, { method: 'POST' })).status).toBe(404);
    expect((await t.app.request(`/confirm/${unsubToken}`, { method: 'POST' })).status).toBe(404);
    expect((await status('purpose@example.com')).status).toBe('active');
    // A campaign's preferences link carries the unsubscribe token (test/subscribers/campaign-links.test.ts):
    // it grants no more than the unsubscribe page, which links to the same preferences page.
    expect((await t.app.request(`/preferences/${unsubToken}`)).status).toBe(200);
    expect((await status('purpose@example.com')).status).toBe('active');
  });

  it('a confirmation link expires after a week', async () => {
    await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'late@example.com' }) });
    const link = pathOf(linkIn((await t.outbox())[0]!.html, '/confirm'));
    t.advance(8 * 24 * 3600 * 1000);
    const res = await t.app.request(link, { method: 'POST', headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('expired');
    expect((await status('late@example.com')).status).toBe('pending');
  });

  it('a token of the right shape for a deleted reader is 404', async () => {
    const links = await activeReader('erased@example.com');
    const id = (await status('erased@example.com')).id;
    expect((await t.admin(`/admin/api/subscribers/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.app.request(links.unsubscribe)).status).toBe(404);
  });
});
