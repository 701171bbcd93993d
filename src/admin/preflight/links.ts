import type { Deps } from '../../deps';

export interface LinkResult {
  url: string;
  ok: boolean;
  status?: number;
  /** Where it ended up when that is another host. */
  redirectedTo?: string;
  error?: string;
}

/** At most this many links are checked, this many at a time, each within the timeout. */
export const LINK_LIMIT = 40;
const CONCURRENCY = 6;
const TIMEOUT_MS = 5000;

/** Every distinct http(s) href of the email, in order, except Broadside's own links. */
export function linksOf(html: string, ownOrigin: string): string[] {
  const seen = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const raw = (m[1] ?? m[2] ?? '').replace(/&amp;/g, '&').trim();
    if (!/^https?:\/\//i.test(raw) || !URL.canParse(raw)) continue;
    if (new URL(raw).origin === ownOrigin) continue;
    seen.add(raw);
  }
  return [...seen];
}

async function checkOne(fetcher: typeof fetch, url: string): Promise<LinkResult> {
  const attempt = async (method: 'HEAD' | 'GET') => {
    const res = await fetcher(url, { method, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS), headers: { 'user-agent': 'Broadside link check' } });
    // Only the status matters: drop the body without reading it.
    await res.body?.cancel().catch(() => undefined);
    return res;
  };
  try {
    let res = await attempt('HEAD');
    // Some servers refuse HEAD; ask again the way a reader's browser does.
    if (res.status === 405 || res.status === 501 || res.status === 403) res = await attempt('GET');
    const finalUrl = res.url || url;
    const moved = new URL(finalUrl).host !== new URL(url).host ? finalUrl : undefined;
    return { url, ok: res.status < 400, status: res.status, redirectedTo: moved };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { url, ok: false, error: timeout ? `no answer within ${TIMEOUT_MS / 1000} s` : 'could not be reached' };
  }
}

/** Checks the first LINK_LIMIT links through deps.fetch (the outbound edge), a few at a time. */
export async function checkLinks(deps: Pick<Deps, 'fetch'>, urls: string[]): Promise<{ results: LinkResult[]; skipped: number }> {
  const todo = urls.slice(0, LINK_LIMIT);
  const results: LinkResult[] = new Array(todo.length);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const i = next++;
      results[i] = await checkOne(deps.fetch, todo[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, todo.length) }, worker));
  return { results, skipped: urls.length - todo.length };
}
