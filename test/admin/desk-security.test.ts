import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedArticles, seedReaders } from '../support/factories';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { addAccount, ORIGIN, PASSWORD, postForm, sameOrigin, signIn, signInAs } from './support/desk';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function draftDigest() {
  const [a] = await seedArticles(t.db, 1, t.deps.now());
  const res = await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', articleIds: [a!.id] }) });
  return (await res.json()).id as number;
}
const statusOf = async (id: number) => (await (await t.admin(`/admin/api/campaigns/${id}`)).json()).status;

describe('same-site CSRF', () => {
  it('a body-less no-cors POST with the cookie from the publication\u2019s own site is refused and sends nothing', async () => {
    await seedReaders(t.db, 3);
    const id = await draftDigest();
    await addAccount(t, 'editor@news.example.org', 'editor');
    const { cookie } = await signInAs(t, 'editor@news.example.org');
    // What Chromium sends for fetch(url, {method:'POST', mode:'no-cors', credentials:'include'})
    // from https://www.example.org when Broadside is newsletter.example.org: same site.
    const res = await t.app.request(`/admin/api/campaigns/${id}/send`, {
      method: 'POST',
      headers: { cookie, origin: 'https://www.example.org', 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
    });
    expect(res.status).toBe(403);
    expect(await statusOf(id)).toBe('draft');
    expect(await t.outbox()).toHaveLength(0);
  });

  it('a cookie write without the CSRF token is refused, even from the same origin; with it, it works', async () => {
    const id = await draftDigest();
    await addAccount(t, 'editor@news.example.org', 'editor');
    const session = await signInAs(t, 'editor@news.example.org');
    const bare = await t.app.request(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { cookie: session.cookie, ...sameOrigin } });
    expect(bare.status).toBe(403);
    const wrong = await t.app.request(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { cookie: session.cookie, ...sameOrigin, 'x-csrf-token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(403);
    expect(await statusOf(id)).toBe('draft');
    const ok = await t.app.request(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { cookie: session.cookie, ...sameOrigin, 'x-csrf-token': session.csrf } });
    expect(ok.status).toBe(202);
  });

  it('a desk form posted from another origin is refused even with a valid token', async () => {
    const owner = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const res = await t.app.request('/admin/accounts', {
      method: 'POST',
      headers: { cookie: owner.cookie, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://www.example.org', 'sec-fetch-site': 'same-site' },
      body: new URLSearchParams({ _csrf: owner.csrf, email: 'x@example.org', role: 'owner', password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(403);
    expect((await postForm(t, owner, '/admin/accounts', { email: 'x@example.org', role: 'owner', password: PASSWORD })).status).toBe(303);
  });

  it('bearer-token API calls need no CSRF token', async () => {
    const id = await draftDigest();
    expect((await t.admin(`/admin/api/campaigns/${id}/send`, { method: 'POST' })).status).toBe(202);
  });

  it('a sign-in posted from another site is refused (login CSRF)', async () => {
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: `token=${TEST_ADMIN_TOKEN}`,
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('sessions end', () => {
  const works = async (cookie: string) => (await t.app.request('/admin/api/outbox', { headers: { cookie } })).status === 200;

  it('sign-out ends the session on the server: the same cookie no longer works', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    expect(await works(s.cookie)).toBe(true);
    expect((await postForm(t, s, '/admin/logout')).status).toBe(303);
    expect(await works(s.cookie)).toBe(false);
  });

  it('a session expires after 12 hours', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    t.advance(11 * 3600 * 1000);
    expect(await works(s.cookie)).toBe(true);
    t.advance(2 * 3600 * 1000);
    expect(await works(s.cookie)).toBe(false);
  });

  it('a changed admin token ends the sessions opened with the old one', async () => {
    const s = await signIn(t, { token: TEST_ADMIN_TOKEN });
    expect(await works(s.cookie)).toBe(true);
    t.deps.secrets.adminToken = 'a-completely-new-admin-token-0123456789';
    expect(await works(s.cookie)).toBe(false);
  });

  it('removing an account or changing its password ends its sessions at once', async () => {
    const owner = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const a = await addAccount(t, 'a@news.example.org', 'editor');
    const b = await addAccount(t, 'b@news.example.org', 'editor');
    const sa = await signInAs(t, 'a@news.example.org');
    const sb = await signInAs(t, 'b@news.example.org');
    expect((await postForm(t, owner, `/admin/accounts/${a.id}/remove`)).status).toBe(303);
    expect(await works(sa.cookie)).toBe(false);
    expect((await postForm(t, owner, `/admin/accounts/${b.id}/password`, { password: 'another long password' })).status).toBe(303);
    expect(await works(sb.cookie)).toBe(false);
    expect((await signInAs(t, 'b@news.example.org', 'another long password')).cookie).toBeTruthy();
  });

  it('the cookie is HttpOnly, SameSite=Strict and scoped to /admin; only a hash of it is stored', async () => {
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TEST_ADMIN_TOKEN}`,
    });
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Strict/i);
    expect(set).toMatch(/Path=\/admin/i);
    const value = set.split(';')[0]!.split('=')[1]!;
    const rows = await t.client.execute('select id from admin_sessions');
    expect(rows.rows.map((r) => r.id)).not.toContain(value);
  });
});

describe('sign-in is not a free oracle', () => {
  const login = (body: string, ip = '198.51.100.1') =>
    t.app.request('/admin/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-ip': ip }, body });

  it('failed sign-ins are limited per IP: then even the right token is refused for a while', async () => {
    for (let i = 0; i < 10; i++) expect((await login('token=wrong-token-guess')).status).toBe(401);
    const limited = await login(`token=${TEST_ADMIN_TOKEN}`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another IP is not affected, and after the window the first IP may try again.
    expect((await login(`token=${TEST_ADMIN_TOKEN}`, '198.51.100.2')).status).toBe(303);
    t.advance(16 * 60 * 1000);
    expect((await login(`token=${TEST_ADMIN_TOKEN}`)).status).toBe(303);
  });

  it('failed sign-ins are limited per account, across IPs', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    for (let i = 0; i < 5; i++) expect((await login('email=Editor@news.example.org&password=guess-number-' + i, `198.51.100.${10 + i}`)).status).toBe(401);
    expect((await login(`email=editor@news.example.org&password=${encodeURIComponent(PASSWORD)}`, '198.51.100.99')).status).toBe(429);
  });

  it('failed sign-ins are limited overall (many IPs)', async () => {
    for (let i = 0; i < 200; i++) await login('token=wrong', `10.0.${Math.floor(i / 250)}.${i % 250}`);
    expect((await login(`token=${TEST_ADMIN_TOKEN}`, '192.0.2.200')).status).toBe(429);
  });

  it('a flood of wrong bearer tokens from many IPs does not lock editors out of the sign-in form', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const bearer = (ip: string) => t.app.request('/admin/api/outbox', { headers: { authorization: 'Bearer wrong-token', 'x-test-ip': ip } });
    // 20 per IP (the per-IP limit) from 11 IPs: past the 200 of the token's overall limit.
    for (let i = 0; i < 220; i++) await bearer(`10.1.${Math.floor(i / 20)}.1`);
    expect((await bearer('10.2.0.1')).status).toBe(429);
    expect((await login(`email=editor@news.example.org&password=${encodeURIComponent(PASSWORD)}`, '198.51.100.50')).status).toBe(303);
    // The token itself stays guarded across IPs, on the form too.
    expect((await login(`token=${TEST_ADMIN_TOKEN}`, '198.51.100.51')).status).toBe(429);
  });

  it('wrong bearer tokens are limited per IP', async () => {
    const bearer = (token: string) => t.app.request('/admin/api/outbox', { headers: { authorization: `Bearer ${token}`, 'x-test-ip': '198.51.100.7' } });
    for (let i = 0; i < 20; i++) expect((await bearer(`wrong-${i}`)).status).toBe(401);
    expect((await bearer('wrong')).status).toBe(429);
    expect((await bearer(TEST_ADMIN_TOKEN)).status).toBe(429);
    expect((await t.admin('/admin/api/outbox')).status).toBe(200); // another IP
  });

  it('a 40 MB sign-in body is refused without being read', async () => {
    let pulled = 0;
    const body = new ReadableStream({
      pull(controller) {
        pulled += 65536;
        if (pulled > 40 * 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(65536));
      },
    });
    const res = await t.app.request('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(40 * 1024 * 1024) },
      body,
      // @ts-expect-error Node's fetch needs duplex for a stream body
      duplex: 'half',
    });
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(1024 * 1024);
  });

  it('an account that does not exist and a wrong password get the same answer', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const a = await login('email=nobody@news.example.org&password=whatever-password');
    const b = await login('email=editor@news.example.org&password=whatever-password');
    expect(a.status).toBe(b.status);
    expect((await a.text()).replace(/nobody@news.example.org/g, 'X')).toBe((await b.text()).replace(/editor@news.example.org/g, 'X'));
  });
});

describe('roles', () => {
  it('a viewer reads the desk and the API but cannot send or change anything', async () => {
    const id = await draftDigest();
    await addAccount(t, 'viewer@news.example.org', 'viewer');
    const v = await signInAs(t, 'viewer@news.example.org');
    expect((await t.app.request(`/admin/api/campaigns/${id}`, { headers: { cookie: v.cookie } })).status).toBe(200);
    const send = await t.app.request(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { cookie: v.cookie, ...sameOrigin, 'x-csrf-token': v.csrf } });
    expect(send.status).toBe(403);
    expect((await postForm(t, v, '/admin/accounts', { email: 'x@example.org', role: 'owner', password: PASSWORD })).status).toBe(403);
    expect(await statusOf(id)).toBe('draft');
  });

  it('only owners see accounts and the audit log', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const e = await signInAs(t, 'editor@news.example.org');
    expect((await t.app.request('/admin/accounts', { headers: { cookie: e.cookie } })).status).toBe(403);
    expect((await t.app.request('/admin/audit', { headers: { cookie: e.cookie } })).status).toBe(403);
  });
});

describe('audit log', () => {
  it('records who sent what through the API, and owners read it in the desk', async () => {
    const id = await draftDigest();
    await addAccount(t, 'editor@news.example.org', 'editor');
    const e = await signInAs(t, 'editor@news.example.org');
    await t.app.request(`/admin/api/campaigns/${id}/send`, { method: 'POST', headers: { cookie: e.cookie, ...sameOrigin, 'x-csrf-token': e.csrf, origin: ORIGIN } });
    const reader = await (await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'leaving@example.org', status: 'active' }) })).json();
    expect((await t.admin(`/admin/api/subscribers/${reader.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    const owner = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const html = await (await t.app.request('/admin/audit', { headers: { cookie: owner.cookie } })).text();
    expect(html).toContain('campaign.sent');
    expect(html).toContain(`campaign ${id}`);
    expect(html).toContain('editor@news.example.org');
    expect(html).toContain('subscriber.erased');
    expect(html).toContain(`subscriber ${reader.id}`);
  });

  it('records imports and exports of readers, with the counts of an import', async () => {
    const imported = await t.admin('/admin/api/subscribers/import?consent=affirmed', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'email,name\nrosa@example.org,Rosa\nnot-an-address,Nobody\n',
    });
    expect(imported.status).toBe(200);
    expect((await t.admin('/admin/api/subscribers/export')).status).toBe(200);
    const owner = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const html = await (await t.app.request('/admin/audit', { headers: { cookie: owner.cookie } })).text();
    expect(html).toContain('subscribers.imported');
    expect(html).toContain('subscribers.exported');
    // What the log keeps of an import is its counts, never the addresses in the file.
    expect(html).not.toContain('rosa@example.org');
  });
});

describe('sign-in page', () => {
  it('opens the admin-token form on a fresh install, where no account exists yet, and the account form after', async () => {
    const tokenFormOpen = async () => /<details[^>]*\bopen\b[^>]*>\s*<summary>Sign in with the admin token/.test(await (await t.app.request('/admin/login')).text());
    expect(await tokenFormOpen()).toBe(true);
    await addAccount(t, 'first.owner@news.example.org', 'owner');
    expect(await tokenFormOpen()).toBe(false);
  });
});
