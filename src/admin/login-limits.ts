import { inArray } from 'drizzle-orm';
import type { Database } from '../db/database';
import { rateLimits } from '../db/schema';
import type { Context } from 'hono';
import type { Deps } from '../deps';
import { hitRateLimit } from '../rate-limit';

/**
 * Failed sign-ins and failed bearer tokens are counted per client IP, per account and over
 * everything, in 15-minute windows kept in the database (so they hold across Worker isolates
 * and restarts). While a counter is full, further attempts are refused before any secret is
 * compared, so the sign-in cannot be used as an oracle. Successful attempts are not counted.
 *
 * The overall limits are the backstop against an attacker with many IPs; they are high enough
 * that the editors of a small newsroom never meet them by mistyping. There are two, one per
 * secret guessed: editors' passwords (`admin-login:all`), and the admin token, whether tried as
 * a bearer token or on the sign-in form (`admin-token:all`). Anyone on the internet can send
 * wrong bearer tokens; sharing one counter let a flood of them lock every editor out of the
 * sign-in form for the window.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export const loginLimits = {
  ip: 10,
  account: 5,
  bearerIp: 20,
  overall: 200,
} as const;

export interface LimitKey {
  key: string;
  limit: number;
}

/** An editor's email and password on the sign-in form. */
export const passwordKeys = (ip: string, email: string | null): LimitKey[] => [
  { key: `admin-login:ip:${ip}`, limit: loginLimits.ip },
  ...(email ? [{ key: `admin-login:account:${email.toLowerCase()}`, limit: loginLimits.account }] : []),
  { key: 'admin-login:all', limit: loginLimits.overall },
];

/** The admin token on the sign-in form: the form's per-IP counter, the token's overall one. */
export const tokenFormKeys = (ip: string): LimitKey[] => [
  { key: `admin-login:ip:${ip}`, limit: loginLimits.ip },
  { key: 'admin-token:all', limit: loginLimits.overall },
];

/** The admin token as `Authorization: Bearer` (API, CLI). */
export const bearerKeys = (ip: string): LimitKey[] => [
  { key: `admin-bearer:ip:${ip}`, limit: loginLimits.bearerIp },
  { key: 'admin-token:all', limit: loginLimits.overall },
];

/** Seconds until the first full counter empties, or 0 when none is full. */
export async function limitedFor(db: Database, keys: LimitKey[], now: number): Promise<number> {
  const windowStart = now - (now % LOGIN_WINDOW_MS);
  const rows = await db.select().from(rateLimits).where(inArray(rateLimits.key, keys.map((k) => k.key)));
  const full = rows.some((r) => r.windowStart === windowStart && r.count >= keys.find((k) => k.key === r.key)!.limit);
  return full ? Math.ceil((windowStart + LOGIN_WINDOW_MS - now) / 1000) : 0;
}

export async function recordFailure(db: Database, keys: LimitKey[], now: number): Promise<void> {
  for (const k of keys) await hitRateLimit(db, { key: k.key, limit: k.limit, windowMs: LOGIN_WINDOW_MS, now });
}

/**
 * The client's IP for the counters. A runtime that cannot tell (a request that did not come over
 * a socket, as in app.request) counts under "unknown" rather than failing the request.
 */
export function clientIpOf(deps: Pick<Deps, 'clientIp'>, c: Context): string {
  try {
    return deps.clientIp(c) ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
