/**
 * How a `resend` SDK answer maps to Broadside's MailError, and which errors are worth retrying.
 * The SDK never throws: a network failure comes back as `statusCode: null`, an HTTP error as the
 * provider's JSON `{ statusCode, name, message }`, and every answer carries the response headers.
 */
import type { MailError } from './mailer';

export interface ProviderError {
  statusCode: number | null;
  name: string;
  message: string;
}

const AUTH_NAMES = new Set(['missing_api_key', 'invalid_api_key', 'restricted_api_key']);
const QUOTA_NAMES = new Set(['daily_quota_exceeded', 'monthly_quota_exceeded']);

export function classify(error: ProviderError, headers: Record<string, string> | null, now: number): MailError {
  const status = error.statusCode ?? undefined;
  const base = { message: `${error.name}: ${error.message}`, status };
  if (status === undefined) return { ...base, kind: 'network', retryable: true };
  if (status === 429) {
    // A quota lasts until the next day or month: retrying within seconds only burns requests.
    const retryable = !QUOTA_NAMES.has(error.name);
    return { ...base, kind: 'rate_limited', retryable, retryAfterMs: retryAfterMs(headers, now) };
  }
  if (status >= 500) return { ...base, kind: 'server', retryable: true, retryAfterMs: retryAfterMs(headers, now, false) };
  if (status === 409) {
    // concurrent: the first request with this key is still being handled; once it finishes, a
    // retry gets its answer replayed. invalid_idempotent_request: the key was used for another
    // payload, which no retry can change.
    return { ...base, kind: 'conflict', retryable: error.name === 'concurrent_idempotent_requests' };
  }
  // Resend also answers 403 for request problems (unverified sender domain, test-mode recipient):
  // only the key-related names mean the credentials are wrong.
  if (status === 401 || AUTH_NAMES.has(error.name)) return { ...base, kind: 'auth', retryable: false };
  return { ...base, kind: 'invalid', retryable: false };
}

/**
 * `retry-after` (seconds or an HTTP date), else `ratelimit-reset` (seconds), in ms. The reset only
 * means "wait" on a 429: on other answers it just describes the current window.
 */
export function retryAfterMs(headers: Record<string, string> | null, now: number, useReset = true): number | undefined {
  const retryAfter = headers?.['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return useReset ? headerSecondsAsMs(headers?.['ratelimit-reset']) : undefined;
}

/** A header's non-negative number of seconds, converted to ms. */
export function headerSecondsAsMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : undefined;
}

export interface RateHeaders {
  limit?: number;
  remaining?: number;
  resetMs?: number;
}

export function rateHeaders(headers: Record<string, string> | null): RateHeaders {
  const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined);
  return {
    limit: int(headers?.['ratelimit-limit']),
    remaining: int(headers?.['ratelimit-remaining']),
    resetMs: headerSecondsAsMs(headers?.['ratelimit-reset']),
  };
}
