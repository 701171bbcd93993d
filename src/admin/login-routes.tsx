import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps';
import { readBody } from '../http/read-body';
import { Layout } from '../pages/layout';
import { SESSION_COOKIE, SESSION_MAX_AGE_SECONDS, secretsEqual, signSession } from './auth';

/** Only same-site paths: a login link must not become an open redirect. */
const safeNext = (next: unknown) =>
  typeof next === 'string' && next.startsWith('/admin') && !next.startsWith('//') ? next : '/admin';

/** The editors' sign-in: the admin token once, then a 12-hour session cookie. */
export function loginRoutes(deps: Deps) {
  const app = new Hono();
  const page = (next: string, error?: string) => (
    <Layout title="Sign in" siteName={deps.config.siteName} siteUrl="/">
      <h1>Sign in</h1>
      <form method="post" action="/admin/login" class="card">
        <input type="hidden" name="next" value={next} />
        <label for="token">Admin token</label>
        <input id="token" type="password" name="token" required autocomplete="current-password" aria-describedby="token-help" />
        <p id="token-help" class="muted">
          {error ?? 'The ADMIN_TOKEN, printed when the service started for the first time.'}
        </p>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );

  app.get('/admin/login', (c) => c.html(page(safeNext(c.req.query('next')))));

  app.post('/admin/login', async (c) => {
    const { data } = await readBody(c);
    const next = safeNext(data.next);
    if (typeof data.token !== 'string' || !(await secretsEqual(data.token.trim(), deps.secrets.adminToken))) {
      return c.html(page(next, 'That token is not right.'), 401);
    }
    setCookie(c, SESSION_COOKIE, await signSession(deps), {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.config.publicUrl.startsWith('https:'),
      path: '/admin',
      maxAge: SESSION_MAX_AGE_SECONDS,
    });
    return c.redirect(next, 303);
  });

  app.post('/admin/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/admin' });
    return c.redirect('/admin/login', 303);
  });

  return app;
}
