/**
 * The importing side of bench/import.ts, in its own process so its peak memory is its own:
 * writes a Mailchimp-style CSV of N rows, imports it into a fresh libSQL file through runImport
 * (the same code as POST /admin/api/subscribers/import), then exports every reader. Prints one JSON line.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node-deps';
import { runImport } from '../src/subscribers/import/run-import';

const rows = Number(process.argv[2]);
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const dir = mkdtempSync(join(tmpdir(), 'broadside-import-bench-'));
const file = join(dir, 'subscribed_members_export.csv');
const lines = ['"Email Address","First Name","Last Name","MEMBER_RATING","OPTIN_TIME","OPTIN_IP","CONFIRM_TIME","CONFIRM_IP","LEID","EUID","TAGS"'];
for (let i = 0; i < rows; i++) {
  lines.push(`"reader.${i}@example.org","Reader","Number ${i}",3,"2023-03-14 08:15:02","198.51.100.${i % 250}","2023-03-14 08:16:40","198.51.100.${i % 250}",${i},"e${i}","""donor"",""local"""`);
}
writeFileSync(file, lines.join('\r\n') + '\r\n');
const bytes = statSync(file).size;
lines.length = 0;

const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}` }), quiet);
const body = () => Readable.toWeb(createReadStream(file, { highWaterMark: 64 * 1024 })) as ReadableStream<Uint8Array>;
const rssBefore = process.memoryUsage().rss;
let started = performance.now();
const first = await runImport(deps, body(), { fileName: 'subscribed_members_export.csv' });
const importMs = performance.now() - started;
started = performance.now();
const again = await runImport(deps, body(), { fileName: 'subscribed_members_export.csv' });
const repeatMs = performance.now() - started;
close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    rows,
    fileMB: Math.round(bytes / 104857.6) / 10,
    added: first.added,
    refused: first.refusedCount,
    importMs: Math.round(importMs),
    repeatUnchanged: again.unchanged,
    repeatMs: Math.round(repeatMs),
    rssBeforeMB: Math.round(rssBefore / 1048576),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
