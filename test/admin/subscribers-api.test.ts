import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const add = (body: unknown) => t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify(body) });

describe('admin readers API', () => {
  it('adds a reader as active with consent "added by an editor" and sends nothing', async () => {
    const res = await add({ email: 'Editor.Added@Example.COM', name: 'Sam', topics: ['digest'], tags: ['Donor'], status: 'active' });
    expect(res.status).toBe(201);
    const r = await res.json();
    expect(r).toMatchObject({ email: 'Editor.Added@example.com', name: 'Sam', status: 'active', topics: ['digest'], tags: ['donor'] });
    expect(r.consent).toMatchObject({ wording: 'editor', source: 'admin' });
    expect(await t.outbox()).toHaveLength(0);
  });

  it('adds a reader as pending and sends a confirmation email', async () => {
    const r = await (await add({ email: 'pending@example.com', status: 'pending' })).json();
    expect(r.status).toBe('pending');
    const mail = await t.outbox();
    expect(mail).toHaveLength(1);
    expect(mail[0]!.html).toContain('/confirm/');
  });

  it('refuses a duplicate address with 409', async () => {
    await add({ email: 'dup@example.com', status: 'active' });
    const res = await add({ email: 'DUP@example.com'.replace('DUP', 'dup'), status: 'active' });
    expect(res.status).toBe(409);
  });

  it('searches by address and name, paginated', async () => {
    for (const [email, name] of [
      ['ana@river.example', 'Ana Kovač'],
      ['ben@hill.example', 'Ben River'],
      ['cy@town.example', 'Cy'],
    ] as const) {
      await add({ email, name, status: 'active' });
    }
    const byName = await (await t.admin('/admin/api/subscribers?q=river')).json();
    expect(byName.subscribers.map((s: { email: string }) => s.email).sort()).toEqual(['ana@river.example', 'ben@hill.example']);
    const page = await (await t.admin('/admin/api/subscribers?limit=2&page=2')).json();
    expect(page).toMatchObject({ total: 3, page: 2, limit: 2 });
    expect(page.subscribers).toHaveLength(1);
    const wildcard = await (await t.admin('/admin/api/subscribers?q=%25')).json();
    expect(wildcard.total).toBe(0);
  });

  it('edits name, topics and tags, and can unsubscribe but never activate', async () => {
    const r = await (await add({ email: 'edit@example.com', status: 'pending' })).json();
    await t.settle(); // the confirmation email goes out in the background
    const patched = await t.admin(`/admin/api/subscribers/${r.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Edited', topics: ['appeals'], tags: ['donor', 'board'] }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: 'Edited', topics: ['appeals'], tags: ['donor', 'board'], status: 'pending' });

    const activate = await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'active' }) });
    expect(activate.status).toBe(400);
    const leave = await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'unsubscribed' }) });
    expect((await leave.json()).status).toBe('unsubscribed');
    const detail = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['unsubscribed', 'updated_by_editor', 'confirmation_sent', 'added_by_editor']);
  });

  it('erases the address and name copied onto a reader\'s deliveries, keeping the campaign\'s numbers', async () => {
    const r = await (await add({ email: 'sent-to@example.com', name: 'Private Name', status: 'active' })).json();
    const campaign = await (
      await t.admin('/admin/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ kind: 'appeal', subject: 'Appeal', body: 'Please.', donateUrl: 'https://news.example.org/donate' }),
      })
    ).json();
    await t.admin(`/admin/api/campaigns/${campaign.id}/send`, { method: 'POST' });
    const { runSendLoop } = await import('../../src/sending/send-loop');
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
    expect((await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'DELETE' })).status).toBe(204);
    const rows = await t.client.execute('select email, name, subscriber_id, status from deliveries');
    expect(rows.rows).toEqual([expect.objectContaining({ email: null, name: null, subscriber_id: null, status: 'sent' })]);
    expect((await (await t.admin(`/admin/api/campaigns/${campaign.id}`)).json()).counts.sent).toBe(1);
  });

  it('erases a reader and their history on DELETE', async () => {
    const r = await (await add({ email: 'erase@example.com', status: 'active' })).json();
    expect((await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.admin(`/admin/api/subscribers/${r.id}`)).status).toBe(404);
    const rows = await t.client.execute('select count(*) as n from subscriber_events');
    expect(Number(rows.rows[0]!.n)).toBe(0);
    expect((await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers bad input with 400/404/415 and a message', async () => {
    expect((await add({ email: 'x' })).status).toBe(400);
    expect((await add({ email: 'ok@example.com', status: 'bounced' })).status).toBe(400);
    expect((await add({ email: 'ok@example.com', tags: ['no spaces allowed'] })).status).toBe(400);
    expect((await add({ email: 'ok@example.com', extra: 1 })).status).toBe(400);
    const text = await t.admin('/admin/api/subscribers', { method: 'POST', body: 'email=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect((await t.admin('/admin/api/subscribers/abc')).status).toBe(404);
    expect((await t.admin('/admin/api/subscribers/999')).status).toBe(404);
    expect((await t.admin('/admin/api/subscribers?limit=100000')).status).toBe(400);
    const list = await (await t.admin('/admin/api/subscribers')).json();
    expect(list.total).toBe(0);
  });
});

describe('admin auth', () => {
  const routes: [string, string][] = [
    ['GET', '/admin/api/subscribers'],
    ['POST', '/admin/api/subscribers'],
    ['GET', '/admin/api/subscribers/1'],
    ['PATCH', '/admin/api/subscribers/1'],
    ['DELETE', '/admin/api/subscribers/1'],
    ['GET', '/admin/api/outbox'],
  ];
  for (const [method, path] of routes) {
    it(`${method} ${path} without valid auth is 401 and does nothing`, async () => {
      const r = await (await add({ email: 'keep@example.com', status: 'active' })).json();
      const target = path.replace('/1', `/${r.id}`);
      for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TEST_ADMIN_TOKEN}`, `Bearer ${TEST_ADMIN_TOKEN}x`]) {
        const res = await t.app.request(target, {
          method,
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({ email: 'new@example.com', name: 'Changed' }),
        });
        expect(res.status).toBe(401);
      }
      const after = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
      expect(after).toMatchObject({ email: 'keep@example.com', name: null, status: 'active' });
      expect((await (await t.admin('/admin/api/subscribers')).json()).total).toBe(1);
    });
  }

  it('the login page sets a session cookie that opens the admin', async () => {
    expect((await t.app.request('/admin')).status).toBe(303);
    const bad = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=wrong',
    });
    expect(bad.status).toBe(401);
    const ok = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TEST_ADMIN_TOKEN}&next=//evil.example`,
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const home = await t.app.request('/admin', { headers: { cookie } });
    expect(home.status).toBe(200);
    expect((await t.app.request('/admin/api/outbox', { headers: { cookie } })).status).toBe(200);
    t.advance(13 * 3600 * 1000);
    expect((await t.app.request('/admin/api/outbox', { headers: { cookie } })).status).toBe(401);
  });
});

describe('health and outbox', () => {
  it('GET /healthz answers 200 when the database answers', async () => {
    const res = await t.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET /admin/api/outbox lists messages newest first with their parts and headers', async () => {
    for (const email of ['first@example.com', 'second@example.com']) {
      await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      await t.settle();
      t.advance(1000);
    }
    const body = await (await t.admin('/admin/api/outbox')).json();
    expect(body.messages.map((m: { to: string }) => m.to)).toEqual(['second@example.com', 'first@example.com']);
    expect(body.messages[0]).toMatchObject({ subject: expect.any(String), html: expect.stringContaining('<'), text: expect.any(String), headers: expect.any(Object), createdAt: expect.any(String) });
  });
});
