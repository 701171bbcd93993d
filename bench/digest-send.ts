/**
 * A whole digest send against the local Resend-compatible server allowing `rate` requests per
 * second: end-to-end throughput as a share of the allowed rate, and the sender's peak memory for
 * lists of different sizes (it should not grow with the list).
 *
 * The local Resend server runs in a process of its own (bench/digest-provider.ts). Two processes
 * per size on Broadside's side, as an operator would run them: bench/digest-prepare.ts seeds the readers,
 * builds the campaign and starts its send (the render and the ledger); bench/digest-sender.ts is
 * the sender (`npm run campaign -- run`), which loads the send path only. "End to end" is the
 * ledger's time plus the send loop's, from its first claim to the last chunk recorded (the
 * sender's own start-up, ~1 s of loading modules, is not counted: a sender is normally running;
 * nor is the wait, after the last chunk is recorded, for the loop's idle lanes to wake from their
 * 50 ms sleep and see there is no more work: the readers have their email by then).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ProviderFigures } from './digest-provider';
import { summariseTimeline, type FetchTimes } from './send-timeline';

/**
 * V8's heap limits for the sender (the same in package.json's `campaign` script). Its live heap
 * is about 20 MB, but by default V8 lets the garbage of a long send (request bodies' builders,
 * rows, fetch's objects) grow the heap to 100+ MB before collecting it; a 64 MB old space and
 * 4 MB semi-spaces keep the peak RSS down at no measurable CPU cost (BENCHMARKS.md, issue 14).
 */
const SENDER_FLAGS = ['--max-old-space-size=64', '--max-semi-space-size=4'];

interface Prepared {
  campaignId: number;
  ledgerMs: number;
  ledgerCpuMs: number;
  prepareMaxRssMB: number;
}

interface Sent {
  status: string;
  lanes: number;
  emailKB: number;
  elapsedMs: number;
  loopReturnedMs: number;
  sendCpuMs: number;
  rssBeforeSendMB: number;
  maxRssMB: number;
  peak: { heapUsedMB: number; heapTotalMB: number; arrayBuffersMB: number };
  timeline: { loopStart: number; loopEnd: number; recordedAt: number; fetches: FetchTimes[] };
}

/**
 * The stand-in provider's V8 flags. It shares this 2-core machine with the sender, and its
 * garbage (a 1.6 MB string and its parsed emails a request) was collected with V8's helper
 * threads, which cost more CPU in all than one thread doing the same work: one thread is
 * 15–20% less of the provider's CPU (BENCHMARKS.md, issue 14). A real provider's CPU is not
 * ours; this one's should take as little as it can from the sender's cores.
 */
const PROVIDER_FLAGS = ['--single-threaded-gc'];

/**
 * The stand-in provider (bench/digest-provider.ts) in its own process; `figures()` asks it for its
 * CPU so far and what it accepted. BENCH_PROVIDER_FLAGS adds Node flags (e.g. --cpu-prof).
 */
async function startProvider(rate: number) {
  const flags = [...PROVIDER_FLAGS, ...(process.env.BENCH_PROVIDER_FLAGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', 'bench/digest-provider.ts', String(rate)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(((await lines.next()).value as string | undefined) ?? 'null');
  const { url, apiKey } = (await next()) as { url: string; apiKey: string };
  return {
    url,
    apiKey,
    figures: async (): Promise<ProviderFigures> => {
      child.stdin!.write('figures\n');
      return next();
    },
    stop: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.end('quit\n');
    }),
  };
}

/** Runs a bench script in a child process and returns the JSON of its last line. */
function runChild<T>(script: string, args: string[], env: Record<string, string>, flags: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${script} exited ${code}`))));
  });
}

export async function benchDigestSend(runs: { readers: number; kind: 'digest' | 'appeal' }[], rate = 50) {
  const results = [];
  for (const { readers, kind } of runs) {
    const fake = await startProvider(rate);
    const env = {
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>',
      SEND_RATE: String(rate),
      SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
    };
    const dir = mkdtempSync(join(tmpdir(), 'broadside-bench-'));
    const dbFile = join(dir, 'bench.db');
    const prepared = await runChild<Prepared>('bench/digest-prepare.ts', [String(readers), kind, dbFile], env);
    // The sender runs with the heap flags of `npm run campaign` (package.json), as an operator's
    // sender does; BENCH_NODE_FLAGS adds to them (e.g. "--cpu-prof --cpu-prof-dir=prof" profiles the
    // sender alone; a later --max-… flag overrides).
    const flags = [...SENDER_FLAGS, ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
    // The provider's CPU while the sender sends is its share.
    const fakeBefore = await fake.figures();
    const sent = await runChild<Sent>('bench/digest-sender.ts', [dbFile, String(prepared.campaignId)], env, flags);
    const fakeAfter = await fake.figures();
    const fakeCpuMs = fakeAfter.cpuMs - fakeBefore.cpuMs;
    rmSync(dir, { recursive: true, force: true });
    const r = { ...sent, ledgerMs: prepared.ledgerMs, elapsedMs: prepared.ledgerMs + sent.elapsedMs };
    const { requests, refused, recipients: accepted } = fakeAfter;
    const arrivals = fakeAfter.arrivals.slice(fakeBefore.arrivals.length);
    const timeline = summariseTimeline(sent.timeline.fetches, sent.timeline.loopStart, sent.timeline.recordedAt, arrivals);
    // BENCH_TIMELINE_DIR: each send's raw timeline (every request's start and answer, the
    // provider's arrivals) as JSON, for questions the summary does not answer.
    if (process.env.BENCH_TIMELINE_DIR) writeFileSync(join(process.env.BENCH_TIMELINE_DIR, `${kind}-${readers}.json`), JSON.stringify({ ...sent.timeline, arrivals }));
    await fake.stop();
    const chunks = Math.ceil(readers / 100);
    const achieved = chunks / (Number(r.elapsedMs) / 1000);
    results.push({
      kind,
      readers,
      status: r.status,
      lanes: r.lanes,
      'emails accepted (unique)': accepted,
      'email size (KB)': r.emailKB,
      'requests (429s)': `${requests} (${refused})`,
      'ledger (ms)': r.ledgerMs,
      'ledger CPU (ms)': prepared.ledgerCpuMs,
      'preparing process peak RSS (MB)': prepared.prepareMaxRssMB,
      'end to end (s)': Math.round(Number(r.elapsedMs) / 100) / 10,
      'requests/s achieved': Math.round(achieved * 10) / 10,
      'share of allowed rate': `${Math.round((achieved / rate) * 1000) / 10}%`,
      'sender CPU ms per 1,000 emails': Math.round((Number(r.sendCpuMs) / readers) * 1000),
      'local Resend server CPU ms per 1,000 emails': Math.round((fakeCpuMs / readers) * 1000),
      'sender RSS before the send (MB)': r.rssBeforeSendMB,
      'sender peak RSS (MB)': r.maxRssMB,
      'sender peak heap used / total / array buffers (MB)': (({ heapUsedMB, heapTotalMB, arrayBuffersMB }) => `${heapUsedMB} / ${heapTotalMB} / ${arrayBuffersMB}`)(r.peak),
      ...timeline,
      'loop returned, after the last chunk recorded (ms)': sent.loopReturnedMs - sent.elapsedMs,
    });
  }
  return results;
}
