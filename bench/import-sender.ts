/**
 * The importing side of bench/import.ts, in its own process so its peak memory is its own:
 * writes a Mailchimp-style CSV of N rows, imports it into a fresh libSQL file through runImport
 * (the same code as POST /admin/api/subscribers/import), imports it again, then exports every
 * reader. Prints one JSON line. The import's thread is started first, as the server does
 * (BENCH_IMPORT_COLD=1: by the import).
 */
import '../src/node/production-mode';
import { closeSync, createReadStream, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { prepareImportThread } from '../src/node/import-thread';
import { exportReadersCsv } from '../src/subscribers/export-csv';
import { runImport } from '../src/subscribers/import/run-import';

const rows = Number(process.argv[2]);
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const dir = mkdtempSync(join(tmpdir(), 'broadside-import-bench-'));
const file = join(dir, 'subscribed_members_export.csv');
// Written in pieces, so the file never sits in this process's memory (its peak RSS is the import's).
const fd = openSync(file, 'w');
writeSync(fd, '"Email Address","First Name","Last Name","MEMBER_RATING","OPTIN_TIME","OPTIN_IP","CONFIRM_TIME","CONFIRM_IP","LEID","EUID","TAGS"\r\n');
const tags = '"""donor"",""local"""';
for (let start = 0; start < rows; start += 10_000) {
  const part: string[] = [];
  for (let i = start; i < Math.min(rows, start + 10_000); i++) {
    const ip = `198.51.100.${i % 250}`;
    part.push(`"reader.${i}@example.org","Reader","Number ${i}",3,"2023-03-14 08:15:02","${ip}","2023-03-14 08:16:40","${ip}",${i},"e${i}",${tags}\r\n`);
  }
  writeSync(fd, part.join(''));
}
closeSync(fd);
const bytes = statSync(file).size;

const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}` }), quiet);
// As the server does at its start (src/node/main.ts), the import's thread is started and has
// loaded its modules before the import; BENCH_IMPORT_COLD=1 leaves it to the first import.
const cold = Boolean(process.env.BENCH_IMPORT_COLD);
if (!cold) await prepareImportThread();
const body = () => Readable.toWeb(createReadStream(file, { highWaterMark: 64 * 1024 })) as ReadableStream<Uint8Array>;
const rssBefore = process.memoryUsage().rss;
// The peak before the import: writing the file and opening the database.
const maxRssBefore = process.resourceUsage().maxRSS;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// CPU milliseconds of each of this process's threads (Linux's /proc; empty elsewhere): the import
// runs on two (this one writing, a worker thread reading and checking) and V8's helpers (the GC's).
const threadCpu = (): Map<string, number> => {
  const out = new Map<string, number>();
  try {
    for (const t of readdirSync('/proc/self/task')) out.set(t, Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
  } catch {
    // Not Linux: no figures per thread.
  }
  return out;
};
const threadsBefore = threadCpu();
let cpuStart = cpu();
let started = performance.now();
const first = await runImport(deps, body(), { fileName: 'subscribed_members_export.csv' });
const importMs = performance.now() - started;
const importCpuMs = cpu() - cpuStart;
// This thread, the busiest other (the import's worker thread) and the rest.
const used = [...threadCpu()].map(([t, ms]) => [t, ms - (threadsBefore.get(t) ?? 0)] as const);
const mainThreadMs = used.find(([t]) => t === String(process.pid))?.[1] ?? 0;
const others = used.filter(([t]) => t !== String(process.pid)).map(([, ms]) => ms).sort((a, b) => b - a);
const workerThreadMs = others[0] ?? 0;
const restThreadsMs = others.slice(1).reduce((a, b) => a + b, 0);
// The peak so far is the import's (the repeat and the export come after it).
const importMaxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
cpuStart = cpu();
started = performance.now();
const again = await runImport(deps, body(), { fileName: 'subscribed_members_export.csv' });
const repeatMs = performance.now() - started;
const repeatCpuMs = cpu() - cpuStart;
const repeatMaxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
cpuStart = cpu();
started = performance.now();
let exported = 0;
const reader = exportReadersCsv(deps.db, {}).getReader();
for (let r = await reader.read(); !r.done; r = await reader.read()) exported += r.value.length;
const exportMs = performance.now() - started;
const exportCpuMs = cpu() - cpuStart;
close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    rows,
    fileMB: Math.round(bytes / 104857.6) / 10,
    thread: cold ? 'cold' : 'warm',
    added: first.added,
    refused: first.refusedCount,
    importMs: Math.round(importMs),
    importCpuMs: Math.round(importCpuMs),
    importMainThreadMs: Math.round(mainThreadMs),
    importWorkerThreadMs: Math.round(workerThreadMs),
    importOtherThreadsMs: Math.round(restThreadsMs),
    repeatUnchanged: again.unchanged,
    repeatMs: Math.round(repeatMs),
    repeatCpuMs: Math.round(repeatCpuMs),
    exportMs: Math.round(exportMs),
    exportCpuMs: Math.round(exportCpuMs),
    exportMB: Math.round(exported / 104857.6) / 10,
    rssBeforeMB: Math.round(rssBefore / 1048576),
    maxRssBeforeMB: Math.round(maxRssBefore / 1024),
    importMaxRssMB,
    repeatMaxRssMB,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
