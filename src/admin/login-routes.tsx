import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { readBody } from '../http/read-body';
import { accountCount, getAccountByEmail } from './accounts';
import { adminOf, type AdminEnv } from './auth';
import { fromOwnOrigin } from './csrf';
import { BareLayout } from './layout';
import { clientIpOf, limitedFor, passwordKeys, recordFailure, tokenFormKeys } from './login-limits';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { secretsEqual } from './secrets-equal';
import { createSession, endSession, SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './sessions';

/** Only same-site paths: a login link must not become an open redirect. */
const safeNext = (next: unknown) =>
  typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';

/** A sign-in form is a few hundred bytes; anything bigger is refused before it is read. */
export const LOGIN_BODY_LIMIT = 16 * 1024;

/**
 * The desk's sign-in (GET/POST /admin/login, mounted before requireAdmin) and sign-out
 * (POST /admin/logout, mounted after it, so it needs a session and its CSRF token).
 * Editors sign in with their account's email and password; ADMIN_TOKEN signs in as an owner
 * (how the first owner gets in to create accounts).
 */
export function loginRoutes(deps: Deps) {
  const app = new Hono();
  // With no account yet (a fresh install), or after a wrong token, the token form is the one open.
  const page = (next: string, error?: string, email = '', tokenFirst = false) => (
    <BareLayout title="Sign in" siteName={deps.config.siteName}>
      <h1>{deps.config.siteName}</h1>
      <p class="muted">Newsletter desk</p>
      {error && (
        <p class="flash bad" role="alert" id="login-error">
          {error}
        </p>
      )}
      <form method="post" action="/admin/login" class="card">
        <input type="hidden" name="next" value={next} />
        <label for="email">Email address</label>
        <input id="email" type="email" name="email" required autocomplete="username" value={email} aria-describedby={error ? 'login-error' : undefined} />
        <label for="password">Password</label>
        <input id="password" type="password" name="password" required autocomplete="current-password" />
        <div class="actions">
          <button type="submit">Sign in</button>
        </div>
      </form>
      <details class="card" open={tokenFirst}>
        <summary>Sign in with the admin token</summary>
        {tokenFirst && !error && <p class="muted">No desk accounts exist yet: sign in with the admin token, then create the first owner account.</p>}
        <form method="post" action="/admin/login">
          <input type="hidden" name="next" value={next} />
          <label for="token">
            Admin token <span class="hint">The ADMIN_TOKEN, printed when the service started for the first time. It signs you in as an owner.</span>
          </label>
          <input id="token" type="password" name="token" required autocomplete="off" />
          <div class="actions">
            <button type="submit" class="secondary">
              Sign in with the token
            </button>
          </div>
        </form>
      </details>
    </BareLayout>
  );

  app.get('/admin/login', async (c) => c.html(page(safeNext(c.req.query('next')), undefined, '', (await accountCount(deps.db)) === 0)));

  app.post('/admin/login', bodyLimit({ maxSize: LOGIN_BODY_LIMIT }), async (c) => {
    // Login CSRF: another site must not sign a browser in to an account of its choosing.
    if (!fromOwnOrigin(c, deps.config.publicUrl)) throw new AppError('forbidden', 'Sign in from the desk\u2019s own sign-in page.');
    const { data } = await readBody(c);
    const next = safeNext(data.next);
    const ip = clientIpOf(deps, c);
    const now = deps.now();
    const usingToken = typeof data.token === 'string';
    const email = typeof data.email === 'string' ? data.email.trim().toLowerCase().slice(0, 320) : '';
    const keys = usingToken ? tokenFormKeys(ip) : passwordKeys(ip, email || null);
    const wait = await limitedFor(deps.db, keys, now);
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return c.html(page(next, `Too many failed sign-ins. Wait ${Math.ceil(wait / 60)} minutes and try again.`, email), 429);
    }

    let accountId: number | null = null;
    let ok = false;
    if (usingToken) {
      ok = await secretsEqual(String(data.token).trim(), deps.secrets.adminToken);
    } else {
      const password = typeof data.password === 'string' ? data.password : '';
      const account = email ? await getAccountByEmail(deps.db, email) : undefined;
      // The same work whether or not the account exists: the answer's timing reveals nothing.
      ok = (await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH)) && !!account;
      accountId = account?.id ?? null;
    }
    if (!ok) {
      await recordFailure(deps.db, keys, now);
      return c.html(page(next, usingToken ? 'That token is not right.' : 'That email address and password do not match an account.', email, usingToken), 401);
    }
    const secret = await createSession(deps.db, { accountId, adminToken: accountId === null ? deps.secrets.adminToken : undefined, now });
    setCookie(c, SESSION_COOKIE, secret, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.config.publicUrl.startsWith('https:'),
      path: '/admin',
      maxAge: SESSION_MAX_AGE_SECONDS,
    });
    return c.redirect(next, 303);
  });
  return app;
}

/** POST /admin/logout: ends the session on the server, then forgets the cookie. */
export function logoutRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.post('/logout', async (c) => {
    const admin = adminOf(c);
    if (admin.sessionId) await endSession(deps.db, admin.sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/admin' });
    return c.redirect('/admin/login', 303);
  });
  return app;
}
