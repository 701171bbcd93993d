/**
 * POST /subscribe under sustained load: autocannon sends sign-ups with unique addresses against
 * Broadside in its own process (bench/subscribe-server.ts), next to a bare Hono route in the same
 * process. Two runs: as fast as the connections go (the ceiling: requests/s, share of the bare
 * route) and at a steady rate (what a reader waits for under a heavy but sustainable load: p50,
 * p99). In a closed loop at saturation the latency is only connections ÷ throughput, so the p99
 * target is read at the steady rate. Then every 202 must be a stored reader and no request may fail.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** One autocannon run; `unique` makes every body a new address, `rate` caps requests/s overall. */
export async function load(args: { url: string; seconds: number; connections: number; unique?: string; rate?: number }): Promise<LoadResult> {
  let n = 0;
  const body = (email: string) => JSON.stringify({ email, source: 'https://news.example.org/a' });
  const result = await autocannon({
    url: args.url,
    connections: args.connections,
    duration: args.seconds,
    ...(args.rate ? { overallRate: args.rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        ...(args.unique
          ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: body(`${args.unique}-${++n}@example.org`) }) }
          : { body: body('bare@example.org') }),
      },
    ],
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
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

/** The table both runtimes print. */
export function report(r: { bare: LoadResult; saturated: LoadResult; steady: LoadResult; stored: number }, rate = 100) {
  const accepted = r.saturated.ok + r.steady.ok;
  return {
    'bare route requests/s': r.bare.requestsPerSecond,
    'bare route p50 / p99 (ms)': `${r.bare.p50} / ${r.bare.p99}`,
    'sign-up requests/s at saturation': r.saturated.requestsPerSecond,
    'sign-up share of the bare route': `${Math.round((r.saturated.requestsPerSecond / r.bare.requestsPerSecond) * 1000) / 10}%`,
    'at saturation p50 / p99 (ms)': `${r.saturated.p50} / ${r.saturated.p99}`,
    [`steady ${rate} req/s: achieved`]: r.steady.requestsPerSecond,
    'steady: p50 / p99 / max (ms)': `${r.steady.p50} / ${r.steady.p99} / ${r.steady.max}`,
    'requests (both runs)': r.saturated.total + r.steady.total,
    '2xx': accepted,
    'non-2xx': r.saturated.non2xx + r.steady.non2xx,
    errors: r.saturated.errors + r.steady.errors,
    'readers stored': r.stored,
    // Requests still in flight when a run stops are stored but not counted as 2xx.
    'answered 2xx but not stored (lost)': Math.max(0, accepted - r.stored),
    // For the targets table.
    'steady p99 (ms)': r.steady.p99,
  };
}

export async function benchSubscribe(seconds = 15, connections = 10, rate = 100) {
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/subscribe-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    const bare = await load({ url: `http://127.0.0.1:${ports.bare}/subscribe`, seconds, connections });
    const saturated = await load({ url: `${base}/subscribe`, seconds, connections, unique: 'load-max' });
    const steady = await load({ url: `${base}/subscribe`, seconds, connections, unique: 'load-steady', rate });
    return report({ bare, saturated, steady, stored: await storedCount(base, 'bench-admin-token-0123456789') }, rate);
  } finally {
    server.kill('SIGTERM');
  }
}
