import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { AdminRole } from '../db/schema';
import { bearerKeys, clientIpOf, limitedFor, recordFailure } from './login-limits';
import { secretsEqual } from './secrets-equal';
import { findSession, SESSION_COOKIE, TOKEN_ACTOR, type AdminPrincipal } from './sessions';

export { secretsEqual } from './secrets-equal';
export { SESSION_COOKIE, SESSION_MAX_AGE_SECONDS } from './sessions';

/** What the admin middleware leaves on the context for every admin route. */
export type AdminEnv = { Variables: { admin: AdminPrincipal } };

type AuthDeps = Pick<Deps, 'db' | 'secrets' | 'now' | 'clientIp'>;

const rank: Record<AdminRole, number> = { viewer: 0, editor: 1, owner: 2 };

/** The principal of an admin request (set by requireAdmin). */
export const adminOf = (c: Context): AdminPrincipal => c.get('admin') as AdminPrincipal;

/** Throws 403 unless the signed-in person has at least `role`. */
export function requireRole(c: Context, role: AdminRole): AdminPrincipal {
  const admin = adminOf(c);
  if (!admin || rank[admin.role] < rank[role]) {
    throw new AppError('forbidden', role === 'owner' ? 'Only an owner can do this.' : 'Your account can read the desk but not change anything.');
  }
  return admin;
}

export const hasRole = (admin: AdminPrincipal, role: AdminRole) => rank[admin.role] >= rank[role];

/**
 * Admin access: `Authorization: Bearer $ADMIN_TOKEN` (API, CLI), or a server-side session from
 * the sign-in page. Anything else is 401 before the route runs, so an unauthenticated request
 * does nothing; browsers without a session are sent to the sign-in page. Wrong bearer tokens are
 * counted (src/admin/login-limits.ts) and refused with 429 once a counter is full.
 * Cookie-authenticated writes must then pass the CSRF check (src/admin/csrf.ts).
 */
export function requireAdmin(deps: AuthDeps): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header) {
      const ip = clientIpOf(deps, c);
      const keys = bearerKeys(ip);
      const now = deps.now();
      const wait = await limitedFor(deps.db, keys, now);
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        throw new AppError('too_many_requests', 'Too many wrong admin tokens from here. Wait a few minutes and try again.');
      }
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (match && (await secretsEqual(match[1]!.trim(), deps.secrets.adminToken))) {
        c.set('admin', { actor: TOKEN_ACTOR, role: 'owner', accountId: null, via: 'bearer' } satisfies AdminPrincipal);
        return next();
      }
      await recordFailure(deps.db, keys, now);
      throw new AppError('unauthorized', 'The admin token is not valid.');
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) {
      const principal = await findSession(deps.db, cookie, { now: deps.now(), adminToken: deps.secrets.adminToken });
      if (principal) {
        c.set('admin', principal);
        return next();
      }
    }
    const isApi = c.req.path.startsWith('/admin/api');
    if (!isApi && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      return c.redirect(`/admin/login?next=${encodeURIComponent(c.req.path)}`, 303);
    }
    c.header('WWW-Authenticate', 'Bearer realm="broadside-admin"');
    throw new AppError('unauthorized', 'Sign in: send Authorization: Bearer <ADMIN_TOKEN>.');
  };
}
