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

  it('does not hold every slot behind one slow request', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 2, marginMs: 0, ...c });
    const slow = await limiter.acquire('bulk');
    const fast = await limiter.acquire('bulk');
    const next = limiter.acquire('bulk').then(() => c.now());
    c.advance(100);
    fast.release();
    // One is still in flight and one finished at 100: the window has room again at 1100, however
    // long the slow one takes.
    expect(await next).toBe(1100);
    c.advance(5000);
    slow.release();
  });

  it('counts the window by when requests finished, whatever order they were granted in', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 2, marginMs: 0, ...c });
    const first = await limiter.acquire('bulk');
    const second = await limiter.acquire('bulk');
    const next = limiter.acquire('bulk').then(() => c.now());
    c.advance(100);
    second.release();
    c.advance(400);
    first.release();
    // Finished at 100 and 500: the one at 100 leaves the window first.
    expect(await next).toBe(1100);
  });

  it('never lets more than `rate` requests in flight or finished within one window', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 3, marginMs: 0, ...c });
    const slots = await Promise.all([limiter.acquire('bulk'), limiter.acquire('bulk'), limiter.acquire('bulk')]);
    let fourthAt: number | undefined;
    const fourth = limiter.acquire('bulk').then((slot) => {
      fourthAt = c.now();
      return slot;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(fourthAt).toBeUndefined();
    c.advance(200);
    slots[0]!.release();
    expect(await fourth.then(() => fourthAt)).toBe(1200);
  });

  it('keeps a margin so the provider never counts two windows into one', async () => {
    const c = clock();
    const limiter = new ProviderRate({ rate: 1, ...c });
    const started = await startTimes(limiter, c.now, ['bulk', 'bulk']);
    expect(started.map((s) => s.at)).toEqual([0, 1010]);
  });
});
