import type { MiddlewareHandler } from 'hono';

/**
 * The Content-Security-Policy of every page that shows campaign HTML (archive, preview, outbox):
 * no script of any kind runs, no plugin loads, and no <base> can re-point the page's links.
 * Campaign HTML is written by editors and may carry anything an MJML <mj-raw> lets through; on
 * Broadside's origin a script would run with an editor's session. Images, styles and links stay
 * as the email has them. An iframe's srcdoc inherits this policy from its page.
 */
export const CAMPAIGN_HTML_CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

export const campaignHtmlCsp = (): MiddlewareHandler => async (c, next) => {
  await next();
  c.header('Content-Security-Policy', CAMPAIGN_HTML_CSP);
};
