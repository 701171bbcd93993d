import { createAccount } from '../../../src/admin/accounts';
import type { AdminRole } from '../../../src/db/schema';
import type { TestApp } from '../../support/test-app';

export const PASSWORD = 'correct horse battery staple';
export const ORIGIN = 'http://broadside.test';

/** A browser's same-origin form post: the headers Chromium sends from the desk's own pages. */
export const sameOrigin = { origin: ORIGIN, 'sec-fetch-site': 'same-origin' };

export async function addAccount(t: TestApp, email: string, role: AdminRole, password = PASSWORD) {
  return createAccount(t.db, { email, role, password, now: t.deps.now() });
}

/** Signs in through the login form; returns the cookie header and the session's CSRF token. */
export async function signIn(t: TestApp, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await t.app.request('/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: await csrfOf(t, cookie) };
}

export const signInAs = (t: TestApp, email: string, password = PASSWORD) => signIn(t, { email, password });

export async function csrfOf(t: TestApp, cookie: string) {
  const html = await (await t.app.request('/admin', { headers: { cookie } })).text();
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF token on the dashboard: ${html.slice(0, 300)} ${JSON.stringify(t.logs.filter((l) => l.level === "error").slice(-1))}`);
  return m[1]!;
}

/** Posts a desk form as the browser would (same origin, with the CSRF token). */
export function postForm(t: TestApp, session: { cookie: string; csrf: string }, path: string, fields: Record<string, string> = {}) {
  return t.app.request(path, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
  });
}
