/**
 * POST /subscribe under sustained load: autocannon sends sign-ups with unique addresses for a
 * while against Broadside in its own process; then every 202 must be a stored reader (no lost
 * sign-ups) and no request may fail.
 */
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';

export async function benchSubscribe(seconds = 15, connections = 10) {
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/subscribe-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  let n = 0;
  const bare = await autocannon({
    url: `http://127.0.0.1:${ports.bare}/subscribe`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bare@example.org', source: 'https://news.example.org/a' }),
  });
  const result = await autocannon({
    url: `${base}/subscribe`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: `load-${++n}@example.org`, source: 'https://news.example.org/a' }) }),
      },
    ],
  });
  // Count what was stored through the admin API.
  const res = await fetch(`${base}/admin/api/subscribers?limit=1`, { headers: { authorization: 'Bearer bench-admin-token-0123456789' } });
  const stored = ((await res.json()) as { total: number }).total;
  server.kill('SIGTERM');
  const accepted = result['2xx'];
  return {
    'bare Hono route requests/s': Math.round(bare.requests.average),
    'bare Hono route p50 / p99 (ms)': `${bare.latency.p50} / ${bare.latency.p99}`,
    'sign-up share of the bare route': `${Math.round((result.requests.average / bare.requests.average) * 1000) / 10}%`,
    'duration (s)': seconds,
    connections,
    requests: result.requests.total,
    'requests/s (mean)': Math.round(result.requests.average),
    '2xx': accepted,
    'non-2xx': result.non2xx,
    errors: result.errors + result.timeouts,
    'readers stored': stored,
    // Requests still in flight when the run stops are stored but not counted as 2xx.
    'answered 2xx but not stored (lost)': Math.max(0, accepted - stored),
    'latency p50 (ms)': result.latency.p50,
    'latency p99 (ms)': result.latency.p99,
    'latency max (ms)': result.latency.max,
  };
}
