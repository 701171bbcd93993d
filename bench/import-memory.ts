/**
 * Where an import's memory goes, over time: `node --expose-gc --import tsx bench/import-memory.ts 100000`.
 * Imports bench/import-sender.ts's Mailchimp-style file of N rows (through runImport and the
 * Node deps, the worker thread reading) and samples every 50 ms: RSS, this thread's V8 heap (used
 * and reserved), off-heap (external, array buffers), and the hand-over's queue: groups of checked
 * rows the writing thread has received from the worker and not taken yet (the worker posts at
 * most GROUPS_AHEAD groups it has not been given credit for, so those in the port are bounded too).
 * Prints one JSON line: the samples' maxima, a few samples along the way, and the heap left after
 * a full GC at the end of the import (what the import keeps for the file's whole length).
 */
import '../src/node/production-mode';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { prepareImportThread } from '../src/node/import-thread';
import { runImport } from '../src/subscribers/import/run-import';

const rows = Number(process.argv[2] ?? 100_000);
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const dir = mkdtempSync(join(tmpdir(), 'broadside-import-memory-'));
const file = join(dir, 'subscribed_members_export.csv');
const fd = openSync(file, 'w');
writeSync(fd, '"Email Address","First Name","Last Name","MEMBER_RATING","OPTIN_TIME","OPTIN_IP","CONFIRM_TIME","CONFIRM_IP","LEID","EUID","TAGS"\r\n');
for (let start = 0; start < rows; start += 10_000) {
  const part: string[] = [];
  for (let i = start; i < Math.min(rows, start + 10_000); i++) {
    const ip = `198.51.100.${i % 250}`;
    part.push(`"reader.${i}@example.org","Reader","Number ${i}",3,"2023-03-14 08:15:02","${ip}","2023-03-14 08:16:40","${ip}",${i},"e${i}","""donor"",""local"""\r\n`);
  }
  writeSync(fd, part.join(''));
}
closeSync(fd);

// The hand-over's queue, seen from outside src/node/import-thread.ts: groups received ('message'
// of type 'entries') less groups taken (each taken group is answered with a 'more').
let thread: Worker | undefined;
let received = 0;
let headMs = 0;
let firstGroupMs = 0;
let taken = 0;
const on = Worker.prototype.on;
Worker.prototype.on = function (this: Worker, event: string | symbol, listener: (...a: any[]) => void) {
  if (event !== 'message') return on.call(this, event, listener);
  thread ??= this;
  return on.call(this, event, (m: { type?: string }) => {
    if (m?.type === 'entries' && received++ === 0) firstGroupMs = performance.now() - t0;
    if (m?.type === 'head') headMs = performance.now() - t0;
    listener(m);
  });
} as typeof Worker.prototype.on;
const postMessage = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (this: Worker, m: { type?: string }, ...rest: any[]) {
  if (m?.type === 'more') taken++;
  return (postMessage as any).call(this, m, ...rest);
};

const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}` }), quiet);
// As bench/import-sender.ts: the thread started first, as the server does, unless BENCH_IMPORT_COLD=1.
if (!process.env.BENCH_IMPORT_COLD) await prepareImportThread();
const MB = (b: number) => Math.round(b / 104857.6) / 10;
type Sample = { ms: number; rssMB: number; anonMB: number; fileMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number; queue: number; taken: number };
// Resident memory by kind (Linux): anonymous (heaps, SQLite's cache, allocations) and file-backed
// (mapped files: the database read through mmap, the program's own code); 0 where /proc is absent.
const rssKinds = () => {
  const kb = (name: string, status: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0);
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return { anonMB: MB(kb('RssAnon', status) * 1024), fileMB: MB((kb('RssFile', status) + kb('RssShmem', status)) * 1024) };
  } catch {
    return { anonMB: 0, fileMB: 0 };
  }
};
const samples: Sample[] = [];
let t0 = performance.now();
const sample = () => {
  const m = process.memoryUsage();
  samples.push({
    ms: Math.round(performance.now() - t0),
    rssMB: MB(m.rss),
    ...rssKinds(),
    heapUsedMB: MB(m.heapUsed),
    heapTotalMB: MB(m.heapTotal),
    externalMB: MB(m.external + m.arrayBuffers),
    queue: received - taken,
    taken,
  });
};
t0 = performance.now();
const elu0 = performance.eventLoopUtilization();
const timer = setInterval(sample, 50);
const gc = (globalThis as { gc?: () => void }).gc;
// With --expose-gc: this thread's heap after a full GC every 10 batches, what the import keeps alive.
const retained: { rows: number; heapMB: number; rssMB: number }[] = [];
let batches = 0;
const atFlush: number[] = [];
if (process.env.BENCH_IN_THREAD) deps.importReader = undefined;
const summary = await runImport(
  deps,
  Readable.toWeb(createReadStream(file, { highWaterMark: 64 * 1024 })) as ReadableStream<Uint8Array>,
  { fileName: 'subscribed_members_export.csv' },
  (p) => {
    sample();
    // The queue as each batch is written: full (GROUPS_AHEAD) when the reading thread runs ahead.
    atFlush[received - taken] = (atFlush[received - taken] ?? 0) + 1;
    if (!gc || ++batches % 10) return;
    gc();
    const m = process.memoryUsage();
    retained.push({ rows: p.rows, heapMB: MB(m.heapUsed), rssMB: MB(m.rss) });
  },
);
const importMs = performance.now() - t0;
// How long each thread's event loop sat idle during the import: the writing thread waiting for
// rows, the reading thread waiting for bytes or credit.
const mainIdleMs = Math.round(performance.eventLoopUtilization(elu0).idle);
const workerElu = thread?.performance.eventLoopUtilization();
clearInterval(timer);
sample();
gc?.();
const after = process.memoryUsage();
close();
rmSync(dir, { recursive: true, force: true });
const max = (k: keyof Sample) => Math.max(...samples.map((s) => s[k]));
const along = [0.25, 0.5, 0.75, 1].map((f) => samples[Math.min(samples.length - 1, Math.floor(f * (samples.length - 1)))]);
console.log(
  JSON.stringify({
    rows,
    added: summary.added,
    importMs: Math.round(importMs),
    headMs: Math.round(headMs),
    mainIdleMs,
    workerIdleMs: workerElu && Math.round(workerElu.idle),
    workerActiveMs: workerElu && Math.round(workerElu.active),
    firstGroupMs: Math.round(firstGroupMs),
    samples: samples.length,
    maxRssMB: max('rssMB'),
    maxRssAnonMB: max('anonMB'),
    maxRssFileMB: max('fileMB'),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    maxHeapUsedMB: max('heapUsedMB'),
    maxHeapTotalMB: max('heapTotalMB'),
    maxExternalMB: max('externalMB'),
    maxQueue: max('queue'),
    queueAtFlush: atFlush,
    heapAfterGcMB: gc ? MB(after.heapUsed) : undefined,
    along,
    retained,
  }),
);
