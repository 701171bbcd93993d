import type { MiddlewareHandler } from 'hono';

/**
 * Every /admin answer: never framed (clickjacking), never cached (shared computers, proxies),
 * and a CSP that lets the desk's pages run only its own script file. Email previews are shown in
 * sandboxed srcdoc iframes, which run no script at all. Routes that serve an email to be framed
 * by the desk set their own, stricter policy.
 */
export const DESK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; frame-src 'self'; " +
  "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

export function adminHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // Set after the route (and after onError) so no answer goes without them; a route's own
    // CSP (previews) is kept.
    c.res.headers.set('X-Frame-Options', 'DENY');
    c.res.headers.set('Cache-Control', 'no-store');
    // Same-origin form posts then carry a real Origin (no-referrer makes browsers send "null").
    c.res.headers.set('Referrer-Policy', 'same-origin');
    if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', DESK_CSP);
    else if (!/frame-ancestors/.test(c.res.headers.get('Content-Security-Policy')!)) c.res.headers.append('Content-Security-Policy', "frame-ancestors 'none'");
  };
}
