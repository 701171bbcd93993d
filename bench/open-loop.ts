/**
 * An open-loop load: requests arrive at `rate` per second as a Poisson process (exponential gaps,
 * a fixed seed so runs compare), each sent at its arrival time whatever is still in flight, and
 * its latency measured from that arrival time, so a server (or this sender) that falls behind
 * shows it in the percentiles instead of quietly lowering the rate.
 *
 * Why not autocannon's `overallRate` for the steady run: it gives each connection a quota per
 * second, refilled by one timer per connection, and the connections start together, so 100
 * connections at 1 request/s send 100 requests in the same millisecond, once a second: a burst
 * of 100 whose last answer waits for the other 99 (p99 ≈ 100 × the CPU of one request), not the
 * sustained 100 sign-ups/s a site sees from readers who do not coordinate.
 */
import http from 'node:http';
import type { LoadResult } from './subscribe-load';

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TIMEOUT_MS = 10_000;

/** One request of a run, for bench/subscribe-timeline.ts: ms on `performance.now()`'s clock. */
export interface Sample {
  /** When the schedule said to send it (latency is measured from here). */
  arrival: number;
  /** When this process actually handed it to the socket. */
  sent: number;
  /** When its answer ended (or it failed). */
  done: number;
  status: number;
  /** The socket error's code when it failed without an answer. */
  error?: string;
}

export async function openLoop(args: { url: string; seconds: number; rate: number; body: (n: number) => string; timeline?: Sample[] }): Promise<LoadResult> {
  const url = new URL(args.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const random = seeded(0x5eed);
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const errorKinds: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();

  const send = (n: number, arrival: number) => {
    const sentAt = performance.now();
    const body = args.body(n);
    const done = new Promise<void>((resolve) => {
      const req = http.request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, timeout: TIMEOUT_MS, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            const now = performance.now();
            latencies.push(now - arrival);
            args.timeline?.push({ arrival, sent: sentAt, done: now, status: res.statusCode! });
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else non2xx++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        errors++;
        const kind = err.message === 'timeout' ? 'timeout' : (err.code ?? err.message);
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        args.timeline?.push({ arrival, sent: sentAt, done: performance.now(), status: 0, error: err.code ?? err.message });
        resolve();
      });
      req.end(body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const start = performance.now();
  const end = start + args.seconds * 1000;
  let next = start;
  while (next < end) {
    const now = performance.now();
    while (next <= now && next < end) {
      send(++sent, next);
      next += (-Math.log(1 - random()) / args.rate) * 1000;
    }
    if (next < end) await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(inFlight);
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  return {
    requestsPerSecond: Math.round(ok / args.seconds),
    total: sent,
    ok,
    non2xx,
    errors,
    timeouts,
    errorKinds,
    p50: at(0.5),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? 0),
  };
}
