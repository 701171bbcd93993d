/**
 * Fault injection: tests queue what the next sending requests meet (errors, slowness, dropped
 * connections) or take the whole API down for a while.
 */
import type { Fault } from './types';

/** What one request meets. */
export type FaultAction =
  | { kind: 'status'; status: number; retryAfter?: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'hold' }
  | { kind: 'disconnect'; when: 'before' | 'after' };

export class FaultQueue {
  private queue: FaultAction[] = [];
  private outage?: { until: number; as: 503 | 'disconnect' };

  constructor(private readonly now: () => number) {}

  inject(fault: Fault): void {
    if (fault.kind === 'outage') {
      this.outage = { until: this.now() + fault.ms, as: fault.as ?? 503 };
      return;
    }
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
    const action: FaultAction =
      fault.kind === 'status'
        ? { kind: 'status', status: fault.status, retryAfter: fault.retryAfter }
        : fault.kind === 'delay'
          ? { kind: 'delay', ms: fault.ms }
          : fault.kind === 'hold'
            ? { kind: 'hold' }
            : { kind: 'disconnect', when: fault.when ?? 'before' };
    for (let i = 0; i < times; i++) this.queue.push(action);
  }

  /** The fault for the request arriving now; an outage answers without using up queued faults. */
  next(): FaultAction | undefined {
    if (this.outage && this.now() < this.outage.until) {
      return this.outage.as === 'disconnect'
        ? { kind: 'disconnect', when: 'before' }
        : { kind: 'status', status: 503, retryAfter: Math.ceil((this.outage.until - this.now()) / 1000) };
    }
    this.outage = undefined;
    return this.queue.shift();
  }

  clear(): void {
    this.queue = [];
    this.outage = undefined;
  }
}
