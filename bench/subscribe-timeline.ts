/**
 * Where the sign-up's steady-run latency on workerd comes from: one open-loop run at `rate`
 * (default 100 req/s) against the Worker in miniflare, as bench/subscribe-workerd.ts runs it,
 * recording each request's scheduled arrival, actual send and end, and sampling every 10 ms the
 * CPU of each workerd thread and of this (the load generator's) process. Writes the raw rows as
 * JSON (argv[2], default /tmp/subscribe-timeline.json) and prints where the slow requests fall.
 *
 *   npx tsx bench/subscribe-timeline.ts /tmp/t.json [seconds] [rate] [--warm]
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { openLoop, type Sample } from './open-loop';
import { d1Directory, migrationStatements, stale } from './subscribe-workerd';
import { load } from './subscribe-load';

const [out = '/tmp/subscribe-timeline.json', secondsArg = '15', rateArg = '100'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const warm = process.argv.includes('--warm');
const seconds = Number(secondsArg);
const rate = Number(rateArg);

if (stale()) {
  const built = spawnSync('npm', ['run', '--silent', 'build:worker'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build:worker failed');
}

const d1Dir = d1Directory();
const mf = new Miniflare({
  modules: true,
  compatibilityDate: '2026-04-20',
  compatibilityFlags: ['nodejs_compat'],
  host: '127.0.0.1',
  port: 0,
  scriptPath: process.env.TIMELINE_WORKER ?? 'dist/worker/worker.js',
  bindings: {
    PUBLIC_URL: 'http://127.0.0.1',
    SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SUBSCRIBE_IP_LIMIT: '100000000',
  },
  d1Databases: ['DB'],
  // Where the bench keeps D1's file (BENCH_D1_ON_DISK=1: miniflare's temporary directory on disk).
  ...(d1Dir ? { d1Persist: d1Dir } : {}),
  queueProducers: { SEND_QUEUE: 'broadside-send-chunks' },
  // TIMELINE_PROFILE=dir: workerd's own inspector (every isolate: the Worker and miniflare's D1 object).
  ...(process.env.TIMELINE_PROFILE ? { inspectorPort: 9329 } : {}),
});

/** Starts V8's profiler in every isolate workerd's inspector lists; the returned function stops them and writes dir/<title>.cpuprofile. */
async function profileAll(dir: string): Promise<() => Promise<void>> {
  const { default: WebSocket } = await import('ws');
  const targets = (await (await fetch('http://127.0.0.1:9329/json/list')).json()) as { id: string; title?: string; webSocketDebuggerUrl: string }[];
  console.log('inspector targets', targets.map((t) => t.title ?? t.id));
  const sessions = await Promise.all(
    targets.map(async (t, i) => {
      const ws = new WebSocket(t.webSocketDebuggerUrl);
      await new Promise((r) => ws.once('open', r));
      let id = 0;
      const waiting = new Map<number, (v: unknown) => void>();
      ws.on('message', (m: Buffer) => {
        const msg = JSON.parse(String(m)) as { id?: number; result?: unknown };
        if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
      });
      const call = (method: string, params = {}) =>
        new Promise<unknown>((resolve) => {
          waiting.set(++id, resolve);
          ws.send(JSON.stringify({ id, method, params }));
        });
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: 200 });
      await call('Profiler.start');
      return { name: `${i}-${(t.title ?? t.id).replace(/[^A-Za-z0-9_-]+/g, '_')}`, call, ws };
    }),
  );
  return async () => {
    for (const s of sessions) {
      const { profile } = (await s.call('Profiler.stop')) as { profile: unknown };
      writeFileSync(`${dir}/${s.name}.cpuprofile`, JSON.stringify(profile));
      s.ws.close();
    }
  };
}

/** This process's workerd children (miniflare starts one). */
function workerdPids(): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'workerd' && Number(f[1]) === process.pid;
      } catch {
        return false;
      }
    });
}

/** Every thread of the workerd children: [tid, name, state, cpu ms]. */
function threads(pids: string[]): [string, string, string, number][] {
  const rows: [string, string, string, number][] = [];
  for (const pid of pids)
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const t = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const tf = t.slice(t.lastIndexOf(')') + 2).split(' ');
        rows.push([tid, t.slice(t.indexOf('(') + 1, t.lastIndexOf(')')), tf[0]!, (Number(tf[11]) + Number(tf[12])) * 10]);
      } catch {
        /* gone */
      }
    }
  return rows;
}

try {
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const db = await mf.getD1Database('DB');
  for (const statement of migrationStatements()) await db.prepare(statement).run();
  if (warm) await load({ url: `${url}/subscribe`, seconds, connections: 10, unique: 'warm' });
  const pids = workerdPids();
  console.log('workerd', pids.join(' '));
  const cpu: { t: number; self: number; threads: [string, string, string, number][] }[] = [];
  const sampler = setInterval(() => {
    const { user, system } = process.cpuUsage();
    cpu.push({ t: performance.now(), self: (user + system) / 1000, threads: threads(pids) });
  }, 10);
  const stopProfiles = process.env.TIMELINE_PROFILE ? await profileAll(process.env.TIMELINE_PROFILE) : undefined;
  const timeline: Sample[] = [];
  const result = await openLoop({
    url: `${url}/subscribe`,
    seconds,
    rate,
    body: (i) => JSON.stringify({ email: `tl-${i}@example.org`, source: 'https://news.example.org/a' }),
    timeline,
  });
  clearInterval(sampler);
  await stopProfiles?.();
  writeFileSync(out, JSON.stringify({ result, timeline, cpu }));
  console.log(result);
  const lat = timeline.map((s) => s.done - s.arrival);
  const late = timeline.map((s) => s.sent - s.arrival).sort((a, b) => a - b);
  console.log('send lateness p50/p99/max ms', late[Math.floor(late.length / 2)]!.toFixed(1), late[Math.floor(late.length * 0.99)]!.toFixed(1), late.at(-1)!.toFixed(1));
  const t0 = timeline.reduce((m, s) => Math.min(m, s.arrival), Infinity);
  // Slow requests by the second they arrived in.
  const perSecond = new Map<number, number[]>();
  timeline.forEach((s, i) => {
    const k = Math.floor((s.arrival - t0) / 1000);
    perSecond.set(k, [...(perSecond.get(k) ?? []), lat[i]!]);
  });
  for (const [k, v] of [...perSecond].sort((a, b) => a[0] - b[0])) {
    v.sort((a, b) => a - b);
    console.log(`s${k}`, 'n', v.length, 'p50', v[Math.floor(v.length / 2)]!.toFixed(0), 'max', v.at(-1)!.toFixed(0), '>100ms', v.filter((x) => x > 100).length);
  }
} finally {
  await mf.dispose();
  if (d1Dir) rmSync(d1Dir, { recursive: true, force: true });
}
