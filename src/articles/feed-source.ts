import { linkTargets } from './link-header';

/**
 * Which address a refresh reads. FEED_URL may be the site's address, its /feed/ or its REST
 * posts URL; the REST API with `_embed` is the best of the three (authors, categories, every
 * size of the featured image, paging), so wherever the site offers it Broadside uses it.
 * WordPress announces it on every page: a `Link: <…/wp-json/>; rel="https://api.w.org/"` header
 * and a `<link rel="https://api.w.org/" href="…">` tag.
 */
export interface FeedSource {
  /** What is fetched. */
  url: string;
  /** Where it came from: FEED_URL as given, or the REST API the site announced. */
  via: 'as-given' | 'rest-api';
  /** When the REST API fails, what to read instead (FEED_URL itself, or the site's feed). */
  fallbackUrl?: string;
}

const API_REL = 'https://api.w.org/';
const HOME_MAX_BYTES = 512 * 1024;

/** True for `…/wp-json/wp/v2/posts` and `…?rest_route=/wp/v2/posts`. */
export function isRestPostsUrl(url: URL): boolean {
  return /\/wp-json\/wp\/v2\/posts\/?$/.test(url.pathname) || /^\/wp\/v2\/posts\/?$/.test(url.searchParams.get('rest_route') ?? '');
}

/** The REST posts URL with `_embed`, which adds authors, terms and featured media to each post. */
export function withEmbed(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('_embed')) u.searchParams.set('_embed', '1');
  return u.href;
}

/** The posts endpoint under an API root: `…/wp-json/` or the plain-permalink `…/?rest_route=/`. */
export function postsUnder(apiRoot: string): string {
  const u = new URL(apiRoot);
  const route = u.searchParams.get('rest_route');
  if (route !== null) u.searchParams.set('rest_route', `${route.replace(/\/$/, '')}/wp/v2/posts`);
  else u.pathname = `${u.pathname.replace(/\/$/, '')}/wp/v2/posts`;
  return withEmbed(u.href);
}

/** The site's home for a feed address: `https://site/feed/` and `…/feed/atom/` → `https://site/`. */
function homeOf(url: URL): URL {
  const home = new URL(url.href);
  const feedAt = home.pathname.search(/\/feed(?:\/(?:rss2?|atom|rdf))?\/?$/);
  if (feedAt >= 0) home.pathname = home.pathname.slice(0, feedAt + 1);
  if (home.searchParams.has('feed')) home.searchParams.delete('feed');
  return home;
}

/**
 * Finds the best address to read for FEED_URL. Only the site's home page is asked (once per
 * refresh at most, and the result is kept by the caller); anything unexpected leaves FEED_URL
 * as it is, so discovery can never make a working feed stop working.
 */
export async function discoverFeedSource(feedUrl: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<FeedSource> {
  const given = new URL(feedUrl);
  if (isRestPostsUrl(given)) return { url: withEmbed(feedUrl), via: 'rest-api', fallbackUrl: feedUrl };
  const home = homeOf(given);
  let response: Response;
  try {
    response = await fetchImpl(home.href, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
      headers: { accept: 'text/html, application/xhtml+xml;q=0.9, */*;q=0.1', 'user-agent': 'Broadside feed reader' },
    });
  } catch {
    return { url: feedUrl, via: 'as-given' };
  }
  const base = response.url || home.href;
  const fromHeader = linkTargets(response.headers.get('link'), API_REL, base)[0];
  const isPage = response.ok && (response.headers.get('content-type') ?? '').includes('html');
  const html = isPage && !fromHeader ? await readHead(response) : '';
  await response.body?.cancel().catch(() => undefined);
  const api = fromHeader ?? linkTag(html, (rel) => rel === API_REL, base);
  // The site's address given, without a REST API: its feed, as the page announces it. Anything
  // that is not an HTML page (the feed itself, at whatever path) is read as it is.
  const announced = isPage && given.href === home.href ? linkTag(html, (rel, type) => rel === 'alternate' && /rss|atom/.test(type), base) : undefined;
  const feed = announced ?? feedUrl;
  if (api && /^https?:$/.test(new URL(api).protocol)) return { url: postsUnder(api), via: 'rest-api', fallbackUrl: feed };
  return { url: feed, via: 'as-given' };
}

async function readHead(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    // The <head> is enough; a huge page is not read to its end.
    while (text.length < HOME_MAX_BYTES && !/<\/head>|<body/i.test(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A broken connection leaves what was read.
  }
  await reader.cancel().catch(() => undefined);
  reader.releaseLock();
  return text;
}

/** The href of the first `<link>` whose rel (and type) pass `wanted`, resolved against `base`. */
function linkTag(html: string, wanted: (rel: string, type: string) => boolean, base: string): string | undefined {
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const rel = attribute(tag, 'rel')?.toLowerCase() ?? '';
    const type = attribute(tag, 'type')?.toLowerCase() ?? '';
    const href = attribute(tag, 'href');
    if (!href || !rel.split(/\s+/).some((r) => wanted(r, type))) continue;
    try {
      return new URL(href.replace(/&amp;/g, '&'), base).href;
    } catch {
      continue;
    }
  }
  return undefined;
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
