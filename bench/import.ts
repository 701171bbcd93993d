/**
 * CSV import and export of N readers: a Mailchimp-style export imported into a fresh libSQL
 * file through runImport (what POST /admin/api/subscribers/import runs), imported again (every
 * row unchanged), then every reader exported. Each size runs in its own process, so peak memory
 * can be compared across sizes (it should not grow with the file).
 */
import { spawn } from 'node:child_process';

function runImporter(rows: number): Promise<Record<string, number | string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/import-sender.ts', String(rows)], {
      env: { ...process.env, SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', ADMIN_TOKEN: 'bench-admin-token-0123456789' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`importer exited ${code}`))));
  });
}

export async function benchImport(sizes = [20_000, 100_000]) {
  const results = [];
  for (const rows of sizes) {
    const r = await runImporter(rows);
    results.push({
      rows,
      'file (MB)': r.fileMB,
      // Whether the reading thread was started before the import (as the server does) or by it.
      thread: r.thread,
      added: r.added,
      // Wall time, and the CPU time the process used (which a busy machine disturbs much less).
      'import (s)': Number(r.importMs) / 1000,
      'import CPU (s)': Number(r.importCpuMs) / 1000,
      // The same CPU time by thread: the writing (this) thread, the reading thread, V8's helpers.
      'CPU main / reader / other (s)': [r.importMainThreadMs, r.importWorkerThreadMs, r.importOtherThreadsMs].map((ms) => (Number(ms) / 1000).toFixed(2)).join(' / '),
      'repeat, all unchanged (s)': Number(r.repeatMs) / 1000,
      'repeat CPU (s)': Number(r.repeatCpuMs) / 1000,
      'export (s)': Number(r.exportMs) / 1000,
      'export CPU (s)': Number(r.exportCpuMs) / 1000,
      'export (MB)': r.exportMB,
      // Before the import (modules, database open), the peak up to the end of the import, of the
      // repeat, and of the whole process (the export last).
      'RSS before (MB)': r.rssBeforeMB,
      'peak RSS, import (MB)': r.importMaxRssMB,
      'peak RSS, repeat (MB)': r.repeatMaxRssMB,
      'peak RSS (MB)': r.maxRssMB,
    });
  }
  return results;
}
