/**
 * Waiting and backing off, written once: the send loop, the queue consumer, the mailer and its
 * rate limiter all use these.
 */

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind either way. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Exponential backoff with equal jitter: `baseMs` doubled per attempt (attempt 1 waits about
 * `baseMs`), capped at `maxMs`, then half of it fixed and half random, so clients retrying at
 * once spread out.
 */
export function backoffMs(attempt: number, o: { baseMs: number; maxMs: number; random?: () => number }): number {
  const full = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return full / 2 + ((o.random ?? Math.random)() * full) / 2;
}

/** A time in ms as ISO 8601, or null: how every API answer shows a timestamp. */
export const isoOrNull = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
