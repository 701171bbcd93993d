/**
 * Where a send's wall time goes, seen from outside the send path: every request the sender makes
 * through fetch is timed (start, answer), and the local Resend server says when each arrived.
 * From these, bench/digest-send.ts reports how long the sender took to its first request, how
 * many requests were in flight over the send (fewer than the loop's lanes: the sender was busy
 * preparing chunks; all lanes in flight: the round trip is the limit), the time with none in
 * flight, and the round trip's parts. CPU profiles say what a process spent; this says what the
 * send waited for.
 */

export interface FetchTimes {
  start: number;
  end: number;
}

/** Wraps the global fetch (the resend SDK calls it for every request) and keeps each call's times. */
export function recordFetches(): FetchTimes[] {
  const times: FetchTimes[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const t: FetchTimes = { start: Date.now(), end: 0 };
    times.push(t);
    try {
      const response = await original(...args);
      return response;
    } finally {
      t.end = Date.now();
    }
  };
  return times;
}

const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

/**
 * The timeline's summary. `loopStart`/`loopEnd` bound the send as measured (from the loop's start
 * to its last chunk recorded); `arrivals` are the provider's arrival times of the sending
 * requests, in the order they arrived.
 */
export function summariseTimeline(fetches: FetchTimes[], loopStart: number, loopEnd: number, arrivals: number[]) {
  if (fetches.length === 0) return {};
  // Time spent with k requests in flight, from the loop's start to its end.
  const edges = fetches.flatMap((f) => [
    { at: f.start, d: 1 },
    { at: f.end, d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  const inFlight: number[] = [];
  let k = 0;
  let last = loopStart;
  for (const e of [...edges, { at: loopEnd, d: 0 }]) {
    inFlight[k] = (inFlight[k] ?? 0) + Math.max(0, e.at - last);
    k += e.d;
    last = Math.max(last, e.at);
  }
  const span = Math.max(1, loopEnd - loopStart);
  const starts = fetches.map((f) => f.start).sort((a, b) => a - b);
  // Arrivals matched with starts in order: an upload's time (start to arrival at the provider).
  const uploads = arrivals.length === starts.length ? arrivals.map((a, i) => a - starts[i]!) : [];
  const rounds = fetches.map((f) => f.end - f.start);
  return {
    'before the first request (ms)': starts[0]! - loopStart,
    'requests in flight, share of the send (0/1/2/…)': inFlight.map((t) => `${Math.round((100 * (t ?? 0)) / span)}%`).join(' / '),
    'request round trip p50 / p90 / max (ms)': `${quantile(rounds, 0.5)} / ${quantile(rounds, 0.9)} / ${Math.max(...rounds)}`,
    'start to arrival at the provider p50 / p90 (ms)': uploads.length ? `${quantile(uploads, 0.5)} / ${quantile(uploads, 0.9)}` : 'n/a',
    'after the last answer, to the last chunk recorded (ms)': loopEnd - Math.max(...fetches.map((f) => f.end)),
  };
}
