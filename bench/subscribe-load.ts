/**
 * POST /subscribe under sustained load, against Broadside in its own process
 * (bench/subscribe-server.ts: one JS thread), next to a bare Hono route in the same process. Two
 * runs: as fast as 10 connections go (autocannon, closed loop: the ceiling, requests/s and share
 * of the bare route) and a steady offered rate, 100 sign-ups/s for the run by default (the
 * target's "sustained load": far above what a news site's busiest article brings, and enough that
 * a sign-up's CPU cost decides whether one core keeps up). In a closed loop at saturation the
 * latency is only connections ÷ throughput, so the p99 target is read at the steady rate, an
 * open loop (bench/open-loop.ts: Poisson arrivals, latency from each arrival) in which a slow
 * answer cannot quietly lower the offered rate; the rate achieved is reported beside it, and a
 * run that did not sustain the rate misses the target whatever its p99. Every 202 must be a
 * stored reader and no request may fail. CPU per request is the server's CPU time over a run
 * (including the emails its requests deferred) divided by its requests: the figure that stays
 * comparable when other work shares the machine.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { settledCpuMs } from './cpu-meter';
import { openLoop } from './open-loop';

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  ok: number;
  non2xx: number;
  /** Requests that failed, timeouts included (autocannon counts a timeout as an error too). */
  errors: number;
  /** Of those, requests with no answer within autocannon's 10 s. */
  timeouts: number;
  /** The failed requests by what failed them (a socket error's code, or `timeout`). */
  errorKinds: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
  /** The server's CPU milliseconds per request done over the run, where it can be read. */
  cpuPerRequestMs?: number;
}

/** Reads the server's CPU time so far in ms (undefined where it cannot be read). */
export type CpuReader = () => Promise<number | undefined>;

/**
 * `load`, with the server's CPU time over the run (settled before and after, see cpu-meter) per
 * request done: per stored reader when `done` counts them, since requests still in flight when
 * autocannon stops are served (and cost CPU) but not counted as answered.
 */
export async function measured(cpu: CpuReader, args: Parameters<typeof load>[0], done?: () => Promise<number>): Promise<LoadResult> {
  const before = await settledCpuMs(cpu);
  const doneBefore = await done?.();
  const result = await load(args);
  const after = await settledCpuMs(cpu);
  const count = done ? (await done()) - doneBefore! : result.ok;
  if (before === undefined || after === undefined || count <= 0) return result;
  return { ...result, cpuPerRequestMs: Math.round(((after - before) / count) * 100) / 100 };
}

/**
 * One run; `unique` makes every body a new address. Without `rate`, autocannon over
 * `connections` as fast as they go; with it, the open loop at `rate` requests/s.
 */
export async function load(args: { url: string; seconds: number; connections: number; unique?: string; rate?: number }): Promise<LoadResult> {
  let n = 0;
  const body = (email: string) => JSON.stringify({ email, source: 'https://news.example.org/a' });
  if (args.rate) {
    const unique = args.unique ?? 'steady';
    return openLoop({ url: args.url, seconds: args.seconds, rate: args.rate, body: (i) => body(`${unique}-${i}@example.org`) });
  }
  const errorKinds: Record<string, number> = {};
  // The callback form, for its instance: each failed request's error says what failed it.
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: args.url,
        connections: args.connections,
        duration: args.seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            ...(args.unique
              ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: body(`${args.unique}-${++n}@example.org`) }) }
              : { body: body('bare@example.org') }),
          },
        ],
      },
      (err, done) => (err ? reject(err) : resolve(done)),
    );
    instance.on('reqError', (err: NodeJS.ErrnoException) => {
      const kind = err.message === 'request timed out' ? 'timeout' : (err.code ?? err.message);
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    });
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    errorKinds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/** How many readers the service stored, through the admin API. */
export async function storedCount(base: string, adminToken: string): Promise<number> {
  const res = await fetch(`${base}/admin/api/subscribers?limit=1`, { headers: { authorization: `Bearer ${adminToken}` } });
  return ((await res.json()) as { total: number }).total;
}

const kinds = (x: LoadResult) =>
  Object.entries(x.errorKinds)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ') || 'none';

/** The table both runtimes print. */
export function report(r: { bare: LoadResult; saturated: LoadResult; steady: LoadResult; stored: number }, rate = 100) {
  const accepted = r.saturated.ok + r.steady.ok;
  const cpu = (x: LoadResult) => x.cpuPerRequestMs ?? 'not measured';
  return {
    'bare route requests/s': r.bare.requestsPerSecond,
    'bare route p50 / p99 (ms)': `${r.bare.p50} / ${r.bare.p99}`,
    'bare route CPU per request (ms)': cpu(r.bare),
    'sign-up requests/s at saturation': r.saturated.requestsPerSecond,
    'sign-up share of the bare route': `${Math.round((r.saturated.requestsPerSecond / r.bare.requestsPerSecond) * 1000) / 10}%`,
    'at saturation p50 / p99 (ms)': `${r.saturated.p50} / ${r.saturated.p99}`,
    'sign-up CPU per request, saturation (ms)': cpu(r.saturated),
    [`steady ${rate} req/s offered: achieved`]: r.steady.requestsPerSecond,
    'steady: p50 / p99 / max (ms)': `${r.steady.p50} / ${r.steady.p99} / ${r.steady.max}`,
    'sign-up CPU per request, steady (ms)': cpu(r.steady),
    'requests (both runs)': r.saturated.total + r.steady.total,
    '2xx': accepted,
    'non-2xx': r.saturated.non2xx + r.steady.non2xx,
    errors: r.saturated.errors + r.steady.errors,
    // Which run they came from and what failed them ("none", or e.g. "ECONNRESET 2, timeout 1").
    'errors at saturation': kinds(r.saturated),
    'errors steady': kinds(r.steady),
    'of which timeouts (no answer in 10 s)': r.saturated.timeouts + r.steady.timeouts,
    'readers stored': r.stored,
    // Requests still in flight when a run stops are stored but not counted as 2xx.
    'answered 2xx but not stored (lost)': Math.max(0, accepted - r.stored),
    // For the targets table.
    'steady p99 (ms)': r.steady.p99,
    'steady rate sustained': r.steady.requestsPerSecond >= rate * 0.95 ? 'yes' : 'no',
  };
}

export async function benchSubscribe(seconds = 15, connections = 10, rate = 100) {
  // BENCH_NODE_FLAGS adds to the server's flags (e.g. "--cpu-prof --cpu-prof-dir=prof" profiles a sign-up).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...flags, '--import', 'tsx', 'bench/subscribe-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const ports = await new Promise<{ app: number; bare: number }>((resolve) => {
      const seen: Record<string, number> = {};
      let out = '';
      server.stdout.on('data', (d: Buffer) => {
        out += String(d);
        for (const m of out.matchAll(/(ready|bare) (\d+)/g)) seen[m[1]!] = Number(m[2]);
        if (seen.ready && seen.bare) resolve({ app: seen.ready, bare: seen.bare });
      });
    });
    const base = `http://127.0.0.1:${ports.app}`;
    const cpu = async () => ((await (await fetch(`http://127.0.0.1:${ports.bare}/cpu`)).json()) as { ms: number }).ms;
    const bare = await measured(cpu, { url: `http://127.0.0.1:${ports.bare}/subscribe`, seconds, connections });
    const stored = () => storedCount(base, 'bench-admin-token-0123456789');
    const saturated = await measured(cpu, { url: `${base}/subscribe`, seconds, connections, unique: 'load-max' }, stored);
    const steady = await measured(cpu, { url: `${base}/subscribe`, seconds, connections, unique: 'load-steady', rate }, stored);
    return report({ bare, saturated, steady, stored: await stored() }, rate);
  } finally {
    server.kill('SIGTERM');
  }
}
