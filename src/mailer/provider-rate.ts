/**
 * The shared provider rate: every request to the mail provider (single sends, batches, retries)
 * waits here for a slot, so Broadside never makes more than `rate` requests per second in total.
 *
 * Slots are counted over a sliding window (no more than `capacity` requests in any window), which
 * is stricter than a fixed-window server and so never trips one. A request may start when fewer
 * than `capacity` others are in flight or finished within the window before it: counted, not read
 * off the grant `capacity` places back, which one slow request (a hung connection, a retry's long
 * answer) would otherwise hold every other slot behind. A slot is dated when its request
 * *finishes*: the provider counts a request when it arrives, which is somewhere between our start
 * and our answer, and a cold first request can take tens of milliseconds to get there while later
 * ones on a warm connection arrive at once. Dating by the start let those bunch up into one
 * provider window (a 429 at every window edge); dating by the finish never can, at the cost of one
 * round trip per window. A small margin covers clock granularity.
 *
 * Transactional requests (a reader's confirmation email) are granted before queued bulk ones (a
 * digest's chunks): priority is decided when a slot frees, not when a request queues.
 */
import { sleep } from '../timing';
export type Priority = 'transactional' | 'bulk';

export interface ProviderRateOptions {
  /** Requests per second; may be fractional (0.5 = one request every 2 seconds). */
  rate: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Added to the window, in ms (default 10). */
  marginMs?: number;
}

/** A granted slot; `release()` when its request has finished, whatever the outcome. */
export interface Slot {
  release(): void;
}

interface Waiter {
  resolve: (slot: Slot) => void;
}

export class ProviderRate {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly marginMs: number;
  private capacity = 1;
  private windowMs = 1000;
  private currentRate = 1;
  /** Granted requests not yet released. */
  private inFlight = 0;
  /**
   * When the latest `capacity` released requests finished, oldest first: each is dated as it is
   * released, so they arrive in order. Older ones can no longer decide a slot.
   */
  private finished: number[] = [];
  /** Resolves the pump's wait for an in-flight request to finish. */
  private wake?: () => void;
  private pausedUntil = 0;
  private readonly queues: Record<Priority, Waiter[]> = { transactional: [], bulk: [] };
  private pumping = false;

  constructor(options: ProviderRateOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.marginMs = options.marginMs ?? 10;
    this.setRate(options.rate);
  }

  get rate(): number {
    return this.currentRate;
  }

  setRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number, got ${rate}`);
    this.currentRate = rate;
    this.capacity = Math.max(1, Math.floor(rate));
    this.windowMs = (this.capacity * 1000) / rate;
  }

  /** Resolves when the caller may start one request. */
  acquire(priority: Priority): Promise<Slot> {
    return new Promise<Slot>((resolve) => {
      this.queues[priority].push({ resolve });
      void this.pump();
    });
  }

  /** No request starts before `at` (ms): the provider said to wait (retry-after, ratelimit-reset). */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  /**
   * How many of this process's requests the provider may have counted when it took one that
   * started at `startedAt` (default now): it counts arrivals over the window before that one's,
   * and each of ours arrived before it finished, so: those in flight or finished after
   * startedAt - window. Counted when the answer is read instead, the ones that finished in
   * between drop out, and a window our own requests filled looks like someone else's use.
   */
  usedWithinWindow(startedAt = this.now()): number {
    const since = startedAt - this.windowMs;
    return this.inFlight + this.finished.filter((at) => at > since).length;
  }

  /** How many requests wait for a slot. */
  get waiting(): number {
    return this.queues.transactional.length + this.queues.bulk.length;
  }

  /**
   * When the next request may start: once at most `capacity - 1` others are in flight or finished
   * within the window before it. Infinity while `capacity` are in flight (a release wakes the pump).
   */
  private nextSlotAt(): number {
    const allowed = this.capacity - 1 - this.inFlight;
    if (allowed < 0) return Infinity;
    // The `allowed` newest may stay in the window; the one before them has to leave it.
    const leaving = this.finished[this.finished.length - 1 - allowed];
    return Math.max(this.pausedUntil, leaving === undefined ? -Infinity : leaving + this.windowMs + this.marginMs);
  }

  /** One loop hands out slots while anyone waits; a second call while it runs does nothing. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting > 0) {
        const wait = this.nextSlotAt() - this.now();
        if (wait === Infinity) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        const waiter = this.queues.transactional.shift() ?? this.queues.bulk.shift();
        this.inFlight++;
        let released = false;
        waiter?.resolve({
          release: () => {
            if (released) return;
            released = true;
            this.release();
          },
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  private release(): void {
    this.inFlight--;
    this.finished.push(this.now());
    if (this.finished.length > this.capacity) this.finished.splice(0, this.finished.length - this.capacity);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
