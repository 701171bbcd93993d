/**
 * How many chunks a sender keeps in flight at once (its lanes): enough that the provider's
 * allowance sets the pace, not the round trip. A lane builds its chunk, waits for a slot and
 * then for the answer, so it sends at most one request per round trip, and SEND_RATE requests
 * a second need rate × round trip lanes. A provider over the internet takes a few hundred
 * milliseconds to answer a batch of 100; against a stand-in answering in 150 ms at 50 requests/s,
 * 2 lanes reached 24% of the rate, 4 lanes 48%, 8 84% and 12 86% (BENCHMARKS.md, issue 14).
 *
 * More lanes hold more built chunks in memory (about 3 MB each), and on Workers an invocation
 * may have only six requests waiting for their answer: a seventh is queued by the runtime, so
 * lanes beyond six there only hold memory.
 */
const ROUND_TRIP_S = 0.25;

const MAX_LANES = { node: 12, worker: 6 } as const;

/** Lanes for a sender allowed `rate` provider requests a second, on `where`'s runtime. */
export function sendLanes(rate: number, where: keyof typeof MAX_LANES): number {
  return Math.max(1, Math.min(MAX_LANES[where], Math.ceil(rate * ROUND_TRIP_S) + 1));
}
