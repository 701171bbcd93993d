import { decodeFeedBody } from './decode-body';
import { linkTargets } from './link-header';
import type { FeedFormat } from './feed-reader';
import type { FeedArticle, SkippedItem } from './normalise';
import { parseFeed } from './parse-feed';

export interface FetchFeedOptions {
  /** The feed fetcher is an edge: tests and Workers may bring their own. */
  fetch?: typeof globalThis.fetch;
  /** For the whole exchange, headers and body. Default 10 s. */
  timeoutMs?: number;
  /** Larger bodies are refused; reading stops as soon as the limit is passed. Default 5 MiB. */
  maxBytes?: number;
  /** From the previous fetch: the server may then answer 304 Not Modified instead of the feed. */
  validators?: FeedValidators;
}

/** HTTP cache validators of the last feed read (ETag, Last-Modified), for a conditional request. */
export interface FeedValidators {
  etag?: string;
  lastModified?: string;
  /** SHA-256 of the last body read: an unchanged feed is not parsed or stored again. */
  bodyHash?: string;
}

export type FetchFeedResult =
  | {
      ok: true;
      notModified: false;
      format: FeedFormat;
      title?: string;
      articles: FeedArticle[];
      skipped: SkippedItem[];
      validators: FeedValidators;
      /** The next page (Link rel="next", as the WordPress REST API sends), if any. */
      nextUrl?: string;
    }
  | { ok: true; notModified: true }
  | { ok: false; error: string };

export const FEED_TIMEOUT_MS = 10_000;
export const FEED_MAX_BYTES = 5 * 1024 * 1024;

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1';

/**
 * Downloads and parses a feed. Every way a feed can fail (unreachable, slow, an HTTP error,
 * too large, an unknown encoding, not a feed, malformed, hostile) comes back as
 * `{ ok: false, error }` with a sentence an editor can act on; it never throws.
 */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchFeedResult> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? FEED_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? FEED_MAX_BYTES;
  const signal = AbortSignal.timeout(timeoutMs);

  const headers: Record<string, string> = { accept: ACCEPT, 'user-agent': 'Broadside feed reader' };
  if (options.validators?.etag) headers['if-none-match'] = uncompressedEtag(options.validators.etag);
  if (options.validators?.lastModified) headers['if-modified-since'] = options.validators.lastModified;

  let response: Response;
  try {
    response = await fetchImpl(url, { signal, redirect: 'follow', headers });
  } catch (e) {
    return { ok: false, error: signal.aborted ? `the feed did not answer within ${seconds(timeoutMs)}` : unreachable(e) };
  }
  if (response.status === 304) {
    await discard(response);
    return { ok: true, notModified: true };
  }
  if (!response.ok) {
    await discard(response);
    const text = response.statusText ? ` ${response.statusText}` : '';
    return { ok: false, error: `the feed answered HTTP ${response.status}${text}` };
  }

  const body = await readCapped(response, maxBytes, signal, timeoutMs);
  if (!body.ok) return body;
  const decoded = decodeFeedBody(body.bytes, response.headers.get('content-type'));
  if (!decoded.ok) return decoded;
  const bodyHash = await sha256(body.bytes);
  // Servers that never answer 304 (or whose validators change on every request) still cost
  // only the download when nothing changed.
  if (options.validators?.bodyHash === bodyHash) return { ok: true, notModified: true };
  // After redirects, relative links are relative to where the feed really is.
  const parsed = parseFeed(decoded.text, { feedUrl: response.url || url });
  if (!parsed.ok) return parsed;
  const validators = {
    etag: response.headers.get('etag') ?? undefined,
    lastModified: response.headers.get('last-modified') ?? undefined,
    bodyHash,
  };
  const nextUrl = linkTargets(response.headers.get('link'), 'next', response.url || url)[0];
  return { ...parsed, notModified: false, validators, nextUrl };
}

/**
 * Apache's mod_deflate appends "-gzip" (or "-br") to the ETag of a compressed response, but the
 * application behind it (WordPress) compares If-None-Match with its own ETag, and WordPress
 * answers 304 only when every validator sent matches. The suffix is taken off so it can match.
 */
export function uncompressedEtag(etag: string): string {
  return etag.replace(/-(?:gzip|br|deflate|zstd)(")?$/, '$1');
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

type Body = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/**
 * Lets go of a body we will not read, so the connection is freed. A failure to cancel is not
 * logged: the answer is already decided (304, an error status, too large), and cancel only fails
 * when the stream has already errored or closed, which frees it just the same.
 */
const discard = (response: Response) => response.body?.cancel().catch(() => undefined);

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal, timeoutMs: number): Promise<Body> {
  const tooLarge = { ok: false, error: `the feed is larger than ${megabytes(maxBytes)}` } as const;
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await discard(response);
    return tooLarge;
  }
  if (!response.body) return { ok: true, bytes: new Uint8Array() };

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      // Counted after decompression, so a small gzip bomb is stopped here too.
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined); // see discard()
        return tooLarge;
      }
      chunks.push(value);
    }
  } catch (e) {
    if (signal.aborted) return { ok: false, error: `the feed took longer than ${seconds(timeoutMs)} to download` };
    return { ok: false, error: `the connection broke while reading the feed (${describe(e)})` };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

function unreachable(e: unknown): string {
  return `could not reach the feed (${describe(e)})`;
}

/** undici's "fetch failed" hides the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? e.message;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
