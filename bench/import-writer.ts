/**
 * The writing half of a CSV import alone, on one thread: the rows of bench/import-sender.ts's
 * Mailchimp-style file, checked by readRow up front (not timed), then written by writeBatch into
 * a fresh libSQL file, NODE_IMPORT_BATCH_ROWS at a time, as runImport does on Node. Prints the write's CPU and
 * wall time (and a repeat's, every row unchanged), so a change to the SQL can be measured without
 * the CSV parser or the reading thread. `npx tsx bench/import-writer.ts 100000`.
 * BENCH_WRITER_SQL runs SQL first (to try a variant: `drop trigger …`); BENCH_WRITER_STATEMENTS=1
 * also prints the CPU time of each statement text (its first words) over the first write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import Sqlite from 'libsql';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLibsql } from '../src/db/libsql';
import { tombstoneHasher } from '../src/subscribers/erasure';
import { readHeader } from '../src/subscribers/import/checked-rows';
import { readRow, type ImportRow } from '../src/subscribers/import/rows';
import { NODE_IMPORT_BATCH_ROWS } from '../src/node/deps';
import { writeBatch, type BatchContext } from '../src/subscribers/import/write-batch';

const n = Number(process.argv[2] ?? 100_000);
const headers = ['Email Address', 'First Name', 'Last Name', 'MEMBER_RATING', 'OPTIN_TIME', 'OPTIN_IP', 'CONFIRM_TIME', 'CONFIRM_IP', 'LEID', 'EUID', 'TAGS'];
const header = readHeader({ line: 1, fields: headers }, {});
const rows: ImportRow[] = [];
for (let i = 0; i < n; i++) {
  const ip = `198.51.100.${i % 250}`;
  const fields = [`reader.${i}@example.org`, 'Reader', `Number ${i}`, '3', '2023-03-14 08:15:02', ip, '2023-03-14 08:16:40', ip, String(i), `e${i}`, '"donor","local"'];
  const r = readRow(fields, i + 2, header.columns, header.mapping, header.declared);
  if (!r.ok) throw new Error(r.reason);
  rows.push(r.row);
}
// CPU time per statement text, from libsql's own prepare and run (every statement goes through them).
const perStatement = new Map<string, { ms: number; calls: number }>();
if (process.env.BENCH_WRITER_STATEMENTS) {
  const proto = Sqlite.prototype as unknown as { prepare: (sql: string) => object };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, text: string) {
    const stmt = prepare.call(this, text) as Record<string, (...a: unknown[]) => unknown>;
    const name = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    for (const method of ['run', 'all'] as const) {
      const inner = stmt[method]!.bind(stmt);
      stmt[method] = (...a: unknown[]) => {
        const c0 = process.cpuUsage();
        try {
          return inner(...a);
        } finally {
          const c = process.cpuUsage(c0);
          const e = perStatement.get(name) ?? { ms: 0, calls: 0 };
          e.ms += (c.user + c.system) / 1000;
          e.calls++;
          perStatement.set(name, e);
        }
      };
    }
    return stmt;
  };
}
const dir = mkdtempSync(join(tmpdir(), 'broadside-import-writer-'));
const { db, client } = await openLibsql(`file:${join(dir, 'bench.db')}`);
if (process.env.BENCH_WRITER_SQL) await client.executeMultiple(process.env.BENCH_WRITER_SQL);
const now = Date.now();
const ctx: BatchContext = {
  now,
  recognised: true,
  affirmed: false,
  source: 'imported from Mailchimp export bench.csv, 2026-12-01',
  tool: 'Mailchimp',
  file: 'bench.csv',
  tombstone: tombstoneHasher('bench-secret-0123456789abcdef0123456789abcdef'),
  confirm: false,
  lineOffset: 0,
};
const cpu = () => {
  if (process.env.BENCH_WRITER_SYS) { const u = process.cpuUsage(); return u.system / 1000; }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
async function writeAll() {
  const c0 = cpu();
  const t0 = performance.now();
  const size = Number(process.env.BENCH_WRITER_BATCH ?? NODE_IMPORT_BATCH_ROWS);
  for (let i = 0; i < rows.length; i += size) await writeBatch(db, rows.slice(i, i + size), ctx);
  return { cpuMs: Math.round(cpu() - c0), wallMs: Math.round(performance.now() - t0) };
}
const first = await writeAll();
const statements = [...perStatement].sort((a, b) => b[1].ms - a[1].ms).map(([sql, { ms, calls }]) => `${Math.round(ms)} ms ${calls}× ${sql}`);
const repeat = await writeAll();
client.close();
rmSync(dir, { recursive: true, force: true });
for (const line of statements) console.error(line);
console.log(JSON.stringify({ rows: n, writeCpuMs: first.cpuMs, writeMs: first.wallMs, repeatCpuMs: repeat.cpuMs, repeatMs: repeat.wallMs }));
