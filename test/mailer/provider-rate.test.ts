/**
 * The shared provider rate, on a hand-driven clock: when each request may start.
 */
import { describe, expect, it } from 'vitest';
import { ProviderRate, type Priority } from '../../src/mailer/provider-rate';

/** A clock that only moves when the limiter sleeps, so start times are exact. */
function clock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      // Let the requests granted so far note their start time before the clock moves on.
      await new Promise((resolve) => setImmediate(resolve));
      now += ms;
    },
  };
}

async function startTimes(limiter: ProviderRate, now: () => number, priorities: Priority[]) {
  const started: { label: string; at: number }[] = [];
  await Promise.all(
    priorities.map((p, i) =>
      limiter.acquire(p).then((slot) => {
        started.push({ label: `${p[0]}${i}`, at: now() });
        slot.release();
      }),
    ),
  );
  return started;
}

describe('ProviderRate', () => {
  it('starts at most `rate` requests in any second', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 2, marginMs: 0, ...c });
    const started = await startTimes(limiter, c.now, ['bulk', 'bulk', 'bulk', 'bulk', 'bulk']);
    expect(started.map((s) => s.at)).toEqual([0, 0, 1000, 1000, 2000]);
  });

  it('spaces a fractional rate out', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 0.5, marginMs: 0, ...c });
    const started = await startTimes(limiter, c.now, ['bulk', 'bulk', 'bulk']);
    expect(started.map((s) => s.at)).toEqual([0, 2000, 4000]);
  });

  it('lets transactional requests go before bulk ones queued earlier', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 1, marginMs: 0, ...c });
    const started = await startTimes(limiter, c.now, ['bulk', 'bulk', 'bulk', 'transactional']);
    expect(started.map((s) => s.label)).toEqual(['b0', 't3', 'b1', 'b2']);
  });

  it('holds every request back while paused', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 10, marginMs: 0, ...c });
    limiter.pauseUntil(1500);
    const started = await startTimes(limiter, c.now, ['transactional', 'bulk']);
    expect(started.map((s) => s.at)).toEqual([1500, 1500]);
  });

  it('dates a slot from when its request finished, not when it started', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 1, marginMs: 0, ...c });
    const slot = await limiter.acquire('bulk');
    const next = limiter.acquire('bulk').then(() => c.now());
    c.advance(300);
    slot.release();
    expect(await next).toBe(1300);
  });

  it('keeps a margin so the provider never counts two windows into one', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 1, ...c });
    const started = await startTimes(limiter, c.now, ['bulk', 'bulk']);
    expect(started.map((s) => s.at)).toEqual([0, 1010]);
  });
});
