/**
 * The fake's rate limit: at most `rate` admitted requests in any window of 1 second (a sliding
 * log, the strictest reading of "N requests per second", so a client that passes here passes a
 * fixed-window server too). Refused requests are not counted: a client that backs off recovers.
 *
 * Headers follow Resend (IETF RateLimit draft): `ratelimit-limit`, `ratelimit-remaining`,
 * `ratelimit-reset` and, on 429, `retry-after`, all in whole seconds rounded up.
 */
export interface RateVerdict {
  allowed: boolean;
  headers: Record<string, string>;
}

export class SlidingWindowLimit {
  private admitted: number[] = [];
  private capacity = 1;
  private windowMs = 1000;
  private unlimited = false;

  constructor(
    rate: number,
    private readonly now: () => number,
  ) {
    this.setRate(rate);
  }

  /** `rate` may be fractional: 0.5 allows one request in any 2 seconds. */
  setRate(rate: number): void {
    if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
    this.unlimited = rate === Infinity;
    this.capacity = Math.max(1, Math.floor(rate));
    this.windowMs = (this.capacity * 1000) / rate;
  }

  /** Admits one request if the window has room, and says so in headers either way. */
  take(): RateVerdict {
    return this.look(true);
  }

  /** The headers as they stand, without admitting anything (for answers that skip the limit). */
  peek(): Record<string, string> {
    return this.look(false).headers;
  }

  clear(): void {
    this.admitted = [];
  }

  private look(admit: boolean): RateVerdict {
    if (this.unlimited) return { allowed: true, headers: {} };
    const now = this.now();
    this.admitted = this.admitted.filter((t) => now - t < this.windowMs);
    const allowed = this.admitted.length < this.capacity;
    if (allowed && admit) this.admitted.push(now);
    const oldest = this.admitted[0] ?? now;
    const untilSlotMs = Math.max(0, oldest + this.windowMs - now);
    const headers: Record<string, string> = {
      'ratelimit-limit': String(this.capacity),
      'ratelimit-remaining': String(this.capacity - this.admitted.length),
      'ratelimit-reset': String(Math.ceil(untilSlotMs / 1000)),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, Math.ceil(untilSlotMs / 1000)));
    return { allowed, headers };
  }
}
