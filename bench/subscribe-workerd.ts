/**
 * POST /subscribe on the Worker's runtime: the Worker as wrangler bundles it (`npm run
 * build:worker`, dist/worker/worker.js) in workerd through miniflare, with a local D1 database
 * built from drizzle/ and the outbox mailer (no Resend key), the same as `wrangler dev`. The same
 * load as the Node benchmark (bench/subscribe-load.ts), next to a bare Worker in its own workerd.
 * CPU is the workerd process's (the Worker and miniflare's D1, which runs inside it), from /proc.
 *
 * D1's SQLite file is kept on /dev/shm (memory) where there is one, not in miniflare's temporary
 * directory on disk: miniflare's D1 runs on the same workerd thread as the Worker, and each D1 call
 * commits with an fsync on that thread (about one a call, two a sign-up), so on disk every request
 * waited for this machine's disk (strace: 0.7 ms at the median, 15 ms at the p99, up to 93 ms while
 * other work wrote), which no Worker's thread does in production (D1 is another service there, and
 * its durability is its own). SQLite's work is still all measured; only the flush is not.
 * BENCH_D1_ON_DISK=1 measures the old way, for comparison (bench/subscribe-workerd-ab.ts).
 *
 * BENCH_D1_REMOTE=1 runs D1 in a second workerd process (a second Miniflare), reached the way
 * `wrangler dev` reaches a remote D1 binding: the Worker's env.DB is still workerd's own D1
 * binding (cloudflare-internal:d1-api, the production client), whose fetcher is miniflare's
 * remote-proxy client, which posts each D1 request over HTTP to the other process, where a small
 * Worker (D1_SERVICE) hands it to miniflare's D1 there. CPU is then the Worker's process only,
 * with the D1 process's reported beside it. Measured, not the default: the Worker's process
 * spends more per D1 call this way than with D1 in it (the HTTP hop costs more than the three
 * isolates it removes), so it does not model production's thread more closely.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare, type RemoteProxyConnectionString } from 'miniflare';
import { childCpuMs, childPids, pidsCpuMs } from './cpu-meter';
import { measured, report, storedCount } from './subscribe-load';

// BENCH_WORKER: another bundle (an older tree's, a variant's), measured as it is, for A/B runs.
const BUILT = 'dist/worker/worker.js';
const bundle = () => process.env.BENCH_WORKER ?? BUILT;

/** Whether the bundle is missing or older than any source it is built from (so never measures old code). */
export function stale(): boolean {
  if (!existsSync(BUILT)) return true;
  const built = statSync(BUILT).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) =>
      e.isDirectory() ? newer(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs > built,
    );
  return ['src', 'emails', 'drizzle'].some(newer) || ['package-lock.json', 'wrangler.toml'].some((f) => statSync(f).mtimeMs > built);
}

/** drizzle/'s migrations in journal order, as statements (what `wrangler d1 migrations apply` runs). */
export function migrationStatements(): string[] {
  const journal = JSON.parse(readFileSync('drizzle/meta/_journal.json', 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.flatMap(({ tag }) =>
    readFileSync(`drizzle/${tag}.sql`, 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean),
  );
}

export async function benchSubscribeWorkerd(seconds = 15, connections = 10, rate = 100) {
  if (!process.env.BENCH_WORKER && stale()) {
    const built = spawnSync('npm', ['run', '--silent', 'build:worker'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('npm run build:worker failed');
  }
  const bindings = {
    PUBLIC_URL: 'http://127.0.0.1',
    SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    // One client IP sends everything here; the per-IP limit is not what is measured.
    SUBSCRIBE_IP_LIMIT: '100000000',
  };
  const worker = {
    modules: true,
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port: 0,
  };
  // The baseline in the same runtime and run: a bare Worker that parses the same JSON and answers 202.
  const bareMf = new Miniflare({
    ...worker,
    script: 'export default { async fetch(request) { await request.json(); return Response.json({ ok: true }, { status: 202 }); } }',
  });
  let bare;
  try {
    bare = await measured(cpu, { url: `${await origin(bareMf)}/subscribe`, seconds, connections });
  } finally {
    await bareMf.dispose();
  }
  const d1Dir = d1Directory();
  const remote = process.env.BENCH_D1_REMOTE === '1';
  const d1Mf = remote
    ? new Miniflare({ ...worker, script: D1_SERVICE, d1Databases: ['DB'], ...(d1Dir ? { d1Persist: d1Dir } : {}) })
    : undefined;
  const d1Url = await d1Mf?.ready;
  // The workerd processes already running (under BENCH_D1_REMOTE, D1's): not the Worker's.
  const d1Pids = childPids('workerd');
  const mf = new Miniflare({
    ...worker,
    // The bundle as its one module: with `modules: true` and a scriptPath, miniflare parses the
    // 3 MB bundle with acorn to find its imports (there are none but node:/cloudflare: builtins),
    // 6.5 s of this process's CPU before workerd even starts; listed, 0.4 s. Same Worker.
    // Read here and named as the built bundle: a path outside this directory would become a
    // module name workerd refuses ("../…"), so another tree's bundle would not start.
    modules: [{ type: 'ESModule', path: BUILT, contents: readFileSync(bundle(), 'utf8') }],
    bindings,
    d1Databases: d1Url ? { DB: { id: 'broadside-bench', remoteProxyConnectionString: d1Url as RemoteProxyConnectionString } } : ['DB'],
    ...(d1Dir && !remote ? { d1Persist: d1Dir } : {}),
    queueProducers: { SEND_QUEUE: 'broadside-send-chunks' },
  });
  try {
    const url = await origin(mf);
    const workerPids = childPids('workerd').filter((pid) => !d1Pids.includes(pid));
    const cpu = async () => pidsCpuMs(workerPids);
    const db = await (d1Mf ?? mf).getD1Database('DB');
    // One batch (one round trip into workerd) rather than 122: 1.4–2.3 s instead of 6.7, the
    // same schema (sqlite_master compared).
    await db.batch(migrationStatements().map((statement) => db.prepare(statement)));
    const stored = () => storedCount(url, bindings.ADMIN_TOKEN);
    const saturated = await measured(cpu, { url: `${url}/subscribe`, seconds, connections, unique: 'wd-max' }, stored);
    const d1Before = remote ? pidsCpuMs(d1Pids) : undefined;
    const storedBefore = await stored();
    const steady = await measured(cpu, { url: `${url}/subscribe`, seconds, connections, unique: 'wd-steady', rate }, stored);
    const d1After = remote ? pidsCpuMs(d1Pids) : undefined;
    const storedAfter = await stored();
    const d1PerSignUp = d1Before !== undefined && d1After !== undefined ? (d1After - d1Before) / Math.max(1, storedAfter - storedBefore) : undefined;
    return {
      D1: remote ? 'own workerd process (remote binding)' : "the Worker's workerd process",
      ...report({ bare, saturated, steady, stored: storedAfter }, rate),
      ...(d1PerSignUp !== undefined ? { 'D1 process CPU per sign-up, steady (ms)': Math.round(d1PerSignUp * 100) / 100 } : {}),
    };
  } finally {
    await mf.dispose();
    await d1Mf?.dispose();
    if (d1Dir) rmSync(d1Dir, { recursive: true, force: true });
  }
}

/**
 * The D1 process's Worker under BENCH_D1_REMOTE: what wrangler's remote-binding proxy does for a
 * fetcher binding, for D1 here. Miniflare's remote-proxy client sends the D1 binding's request
 * with its URL in MF-URL and its headers as MF-Header-*; this hands it, as it was, to the fetcher
 * behind this process's own D1 binding (miniflare's D1 object).
 */
const D1_SERVICE = `export default { async fetch(request, env) {
  const headers = new Headers();
  for (const [name, value] of request.headers) if (name.startsWith('mf-header-')) headers.set(name.slice('mf-header-'.length), value);
  return env.DB.fetcher.fetch(request.headers.get('mf-url'), new Request(request, { headers, redirect: 'manual' }));
} }`;

/** Where D1's file goes: a fresh directory on /dev/shm, or undefined for miniflare's own (disk). */
export function d1Directory(): string | undefined {
  if (process.env.BENCH_D1_ON_DISK === '1' || !existsSync('/dev/shm')) return undefined;
  return mkdtempSync('/dev/shm/broadside-bench-d1-');
}

// One Miniflare (one workerd process) at a time here, so every workerd child is the one under load.
const cpu = async () => childCpuMs('workerd');

const origin = async (mf: Miniflare) => (await mf.ready).toString().replace(/\/$/, '');
