import type { Config } from '../config';

/** Broadside's own routes: links to them are personal or ours, and are never tracked. */
const OWN_ROUTES = ['unsubscribe', 'preferences', 'confirm', 'archive', 'subscribe', 'embed', 'admin', 'webhooks', 'r', 'o'];

/**
 * Whether a link in a campaign is tracked: http(s) links to anywhere but Broadside's own routes,
 * and never a link that still holds a personalisation placeholder (it differs per reader, so it
 * cannot be one stored URL).
 */
export function isTrackable(config: Pick<Config, 'publicUrl'>, url: string): boolean {
  if (!/^https?:\/\//i.test(url) || url.length > 2000 || url.includes('{{{BROADSIDE_')) return false;
  if (!URL.canParse(url)) return false;
  const base = `${config.publicUrl}/`;
  if (url.toLowerCase().startsWith(base.toLowerCase())) {
    const first = url.slice(base.length).split(/[/?#]/, 1)[0]!.toLowerCase();
    if (OWN_ROUTES.includes(first)) return false;
  }
  return true;
}

/** The distinct trackable links of a campaign's HTML, in order of first appearance. */
export function trackableLinks(config: Pick<Config, 'publicUrl'>, hrefs: string[]): string[] {
  return [...new Set(hrefs.filter((u) => isTrackable(config, u)))];
}

export const clickUrl = (config: Pick<Config, 'publicUrl'>, linkToken: string, readerToken: string) =>
  `${config.publicUrl}/r/${linkToken}/${readerToken}`;

export const openUrl = (config: Pick<Config, 'publicUrl'>, readerToken: string) => `${config.publicUrl}/o/${readerToken}`;
