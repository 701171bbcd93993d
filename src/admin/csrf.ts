import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { adminOf } from './auth';
import { secretsEqual } from './secrets-equal';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when the browser says the request comes from a page of Broadside's own origin. SameSite
 * cookies are not enough: a page on the publication's site (www.example.org next to
 * newsletter.example.org) is the same *site* and gets the cookie sent. Browsers send
 * Sec-Fetch-Site and Origin on every POST; clients that send neither (curl, scripts) must still
 * carry the CSRF token, which no other page can read.
 */
export function fromOwnOrigin(c: Context, publicUrl: string): boolean {
  // Sec-Fetch-Site, when sent, is decisive: browsers set it themselves and pages cannot forge it.
  const site = c.req.header('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  // "null" is what a sandboxed or privacy-restricted page sends: it proves nothing.
  const origin = c.req.header('origin');
  if (origin) return origin === new URL(publicUrl).origin;
  return true;
}

async function tokenOf(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') return undefined;
  try {
    // Hono caches the parsed form, so the route reads the same body again.
    const body = await c.req.parseBody();
    const v = body[CSRF_FIELD];
    return typeof v === 'string' ? v : undefined;
  } catch {
    throw new AppError('bad_request', 'The form body could not be read.');
  }
}

/**
 * Every state-changing request authenticated by the session cookie proves it comes from the
 * desk's own pages: the Origin/Sec-Fetch-Site check, and the session's CSRF token in the form
 * (or the X-CSRF-Token header for the desk's small scripts). Bearer-token calls carry no cookie
 * ambient authority and are not checked. Refused before the route runs, so nothing happens.
 */
export function csrfProtection(deps: Pick<Deps, 'config'>): MiddlewareHandler {
  return async (c, next) => {
    const admin = adminOf(c);
    if (SAFE.has(c.req.method) || !admin || admin.via !== 'session') return next();
    if (!fromOwnOrigin(c, deps.config.publicUrl)) {
      throw new AppError('forbidden', 'This request did not come from the desk\u2019s own pages, so it was refused.');
    }
    const token = await tokenOf(c);
    if (!token || !admin.csrf || !(await secretsEqual(token, admin.csrf))) {
      throw new AppError('forbidden', 'The form had expired or did not come from the desk. Go back, reload the page and try again.');
    }
    return next();
  };
}
