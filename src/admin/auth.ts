import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../deps';
import { AppError } from '../errors';

export const SESSION_COOKIE = 'broadside_session';
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;
/** There is one editor identity (whoever holds ADMIN_TOKEN); sessions carry it as id 1. */
const EDITOR_ID = 1;

const encoder = new TextEncoder();

/**
 * Compares two secrets in constant time by comparing their SHA-256 digests: equal-length inputs
 * whose timing does not depend on where the secrets first differ.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

export const signSession = (deps: Pick<Deps, 'signer' | 'now'>) =>
  deps.signer.sign({ purpose: 'session', subscriberId: EDITOR_ID, issuedAt: Math.floor(deps.now() / 1000) });

/**
 * Admin access: `Authorization: Bearer $ADMIN_TOKEN`, or the session cookie set by the login
 * page. Anything else is 401 before the route runs, so an unauthenticated request does nothing.
 * Browsers without a session are sent to the login page.
 */
export function requireAdmin(deps: Pick<Deps, 'signer' | 'secrets' | 'now'>): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (match && (await secretsEqual(match[1]!.trim(), deps.secrets.adminToken))) return next();
      throw new AppError('unauthorized', 'The admin token is not valid.');
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) {
      const claims = await deps.signer.verify(cookie, 'session', {
        maxAgeSeconds: SESSION_MAX_AGE_SECONDS,
        nowSeconds: Math.floor(deps.now() / 1000),
      });
      if (claims) return next();
    }
    const isApi = c.req.path.startsWith('/admin/api');
    if (!isApi && c.req.method === 'GET') {
      return c.redirect(`/admin/login?next=${encodeURIComponent(c.req.path)}`, 303);
    }
    c.header('WWW-Authenticate', 'Bearer realm="broadside-admin"');
    throw new AppError('unauthorized', 'Sign in: send Authorization: Bearer <ADMIN_TOKEN>.');
  };
}
