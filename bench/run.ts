/**
 * `npm run bench [-- --quick] [personalise|digest|subscribe|import|desk|readers …]`: Broadside's quality
 * targets, measured on this machine. One table per benchmark, then every target as met or missed.
 * `--quick` runs small sizes (under a minute in all) to check the benchmarks work and to size an
 * install roughly; the full sizes are what BENCHMARKS.md reports. Exits 0 whatever the figures:
 * a missed target is a finding, not a failure (nothing in `npm test` asserts a duration).
 */
import { benchDeskPages, deskSize } from './desk-pages';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { benchDigestSend } from './digest-send';
import { benchImport } from './import';
import { benchReadersList } from './readers-list';
import { benchPersonalise } from './personalise';
import { benchPersonaliseWorkerd } from './personalise-workerd';
import { benchSubscribe } from './subscribe-load';
import { benchSubscribeWorkerd } from './subscribe-workerd';

const all = ['personalise', 'digest', 'subscribe', 'import', 'desk', 'readers'] as const;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const named = args.filter((a) => a !== '--quick');
const wanted = named.length ? named : [...all];
const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${all.join(', ')} (and --quick).`);
  process.exit(2);
}

type Row = Record<string, string | number | undefined>;
const targets: { target: string; measured: string; met: 'met' | 'missed' | 'not measured' }[] = [];
const target = (name: string, measured: string, met: boolean | null) =>
  targets.push({ target: name, measured, met: met === null ? 'not measured' : met ? 'met' : 'missed' });
const num = (v: unknown) => Number(String(v).replace(/[^\d.]/g, ''));

/**
 * Each benchmark's wall time and CPU seconds (this process, and the child processes it has
 * waited for: servers, senders, workerd), printed at the end: where a run's time goes, and what
 * a slower or busier machine would stretch. Children's CPU is read from /proc (Linux only).
 */
const sections: { benchmark: string; 'wall (s)': number; 'CPU here (s)': number; 'CPU of ended children (s)': number | string }[] = [];
const childrenCpuS = (): number | undefined => {
  try {
    // Fields 16 and 17 of /proc/self/stat (cutime, cstime) in clock ticks, after the name in parentheses.
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
};
const ownCpuS = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
async function timed(benchmark: string, run: () => Promise<void>) {
  const [wall, cpu, children] = [performance.now(), ownCpuS(), childrenCpuS()];
  await run();
  const childrenNow = childrenCpuS();
  const r1 = (n: number) => Math.round(n * 10) / 10;
  sections.push({
    benchmark,
    'wall (s)': r1((performance.now() - wall) / 1000),
    'CPU here (s)': r1(ownCpuS() - cpu),
    'CPU of ended children (s)': children === undefined || childrenNow === undefined ? 'n/a' : r1(childrenNow - children),
  });
}

console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}, ${new Date().toISOString()}${quick ? ', --quick (small sizes)' : ''}`,
);

if (wanted.includes('personalise')) {
  let node: Row = {};
  let workerd: Row = {};
  await timed('personalise (Node)', async () => {
    console.log('\n## Personalisation (Node)');
    node = await benchPersonalise(quick);
    console.table(node);
  });
  await timed('personalise (workerd)', async () => {
    console.log('\n## Personalisation (workerd, through miniflare)');
    workerd = await benchPersonaliseWorkerd(quick);
    console.table(workerd);
  });
  const n = num(node['substitution + three signed links (µs)']);
  const w = num(workerd['substitution + three signed links, workerd (µs)']);
  target('personalisation with three signed links ≤ 5 µs per email, Node', `${n} µs`, n <= 5);
  target('personalisation with three signed links ≤ 5 µs per email, workerd', `${w} µs`, w <= 5);
  const digestBytes = num(node['digest html size (bytes)']);
  target('10-article digest HTML ≤ 15 KB per email, as sent', `${digestBytes.toLocaleString('en')} bytes`, digestBytes <= 15 * 1024);
}

if (wanted.includes('digest')) await timed('digest', async () => {
  console.log('\n## Digest send against the local Resend server at 50 requests/s');
  // 1,000,000 readers takes at least 200 s at the full rate; BENCH_MILLION=1 adds it.
  // BENCH_DIGEST_SIZES=5000,20000 sends those sizes instead (to size an install).
  const chosen = process.env.BENCH_DIGEST_SIZES?.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const sizes = chosen?.length ? chosen : quick ? [1_000] : process.env.BENCH_MILLION ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
  // BENCH_DIGEST_RATE: another allowance than Resend's default 50 requests/s.
  const rate = Number(process.env.BENCH_DIGEST_RATE ?? 50);
  const rows: Row[] = await benchDigestSend(sizes.map((readers) => ({ kind: 'digest' as const, readers })), rate);
  console.table(rows);
  for (const r of rows) {
    const share = num(r['share of allowed rate']);
    // A send of fewer requests than the rate allows in a second goes out in one burst: its pace
    // is the round trip's, not the limiter's (the quick run's 1,000 readers are 10 requests).
    const burst = Math.ceil(num(r.readers) / 100) <= rate;
    target(`digest to ${r.readers} readers at ≥ 90% of ${rate} req/s`, burst ? `${share}% (one burst of requests)` : `${share}%`, burst ? null : share >= 90);
    target(`sender peak RSS < 200 MB at ${r.readers} readers`, `${r['sender peak RSS (MB)']} MB`, num(r['sender peak RSS (MB)']) < 200);
    if (r.readers === 1_000_000) target('ledger for 1,000,000 readers < 5 s', `${r['ledger (ms)']} ms`, num(r['ledger (ms)']) < 5000);
  }
});

if (wanted.includes('subscribe')) {
  const seconds = quick ? 2 : 15;
  const rate = 100;
  const signUp = (runtime: string, r: Row) => {
    console.table(r);
    const lost = num(r['answered 2xx but not stored (lost)']);
    const p99 = num(r['steady p99 (ms)']);
    const sustained = r['steady rate sustained'] === 'yes';
    target(
      `sign-up (${runtime}, one server process): ${rate} req/s sustained for ${seconds} s, no errors, none lost, p99 < 50 ms`,
      `${r[`steady ${rate} req/s offered: achieved`]} of ${rate} req/s, ${r.errors} errors, ${lost} lost, p99 ${p99} ms; ` +
        `CPU ${r['sign-up CPU per request, steady (ms)']} ms per sign-up; ceiling ${r['sign-up requests/s at saturation']} req/s`,
      sustained && num(r.errors) === 0 && num(r['non-2xx']) === 0 && lost === 0 && p99 < 50,
    );
  };
  await timed('subscribe (Node)', async () => {
    console.log('\n## POST /subscribe under load, next to a bare Hono route (Node, libSQL file)');
    signUp('Node', await benchSubscribe(seconds, 10, rate));
  });
  await timed('subscribe (workerd)', async () => {
    console.log('\n## POST /subscribe under load, next to a bare Worker (workerd through miniflare, D1)');
    signUp('workerd, D1', await benchSubscribeWorkerd(seconds, 10, rate));
  });
}

if (wanted.includes('import')) await timed('import', async () => {
  console.log('\n## CSV import and export (Mailchimp-style file, libSQL file database)');
  const rows: Row[] = await benchImport(quick ? [5_000] : [20_000, 100_000]);
  console.table(rows);
  const big = rows.find((r) => r.rows === 100_000);
  if (big) {
    target('import of 100,000 rows < 5 s', `${big['import (s)']} s (CPU ${big['import CPU (s)']} s)`, num(big['import (s)']) < 5);
    target('export of 100,000 rows < 3 s', `${big['export (s)']} s (CPU ${big['export CPU (s)']} s)`, num(big['export (s)']) < 3);
  }
});

if (wanted.includes('desk')) await timed('desk', async () => {
  const size = deskSize(quick);
  console.log(`\n## The desk's pages, server time (${size.readers.toLocaleString('en')} readers, ${size.campaigns} sent campaigns${quick ? '' : '; BENCH_MILLION=1 for 1,000,000 and 10'})`);
  const r = await benchDeskPages(quick);
  console.log(`seeded in ${(r.seedMs / 1000).toFixed(1)} s`);
  console.table(r.rows);
  const slowest = r.rows.reduce((a, b) => (num(b['median ms']) > num(a['median ms']) ? b : a));
  target(`every desk page < 50 ms median with ${size.readers.toLocaleString('en')} readers`, `slowest ${slowest.page} ${slowest['median ms']} ms (CPU ${slowest['CPU median ms']} ms)`, num(slowest['median ms']) < 50);
  const named = (p: (path: string) => boolean) => r.rows.filter((row) => p(row.page));
  const key = [...named((p) => p === '/admin'), ...named((p) => p.startsWith('/admin/readers?q=')), ...named((p) => /^\/admin\/campaigns\/\d+\/results$/.test(p))];
  const worst = key.reduce((a, b) => (num(b['median ms']) > num(a['median ms']) ? b : a));
  if (size.readers >= 1_000_000) target('dashboard, readers search, campaign results < 50 ms with 1,000,000 readers', `slowest ${worst.page} ${worst['median ms']} ms`, num(worst['median ms']) < 50);
  else target('dashboard, readers search, campaign results < 50 ms with 1,000,000 readers', `measured at ${size.readers.toLocaleString('en')} (BENCH_MILLION=1 for 1,000,000)`, null);
});

if (wanted.includes('readers')) await timed('readers', async () => {
  // The desk's readers list (search, filters, keyset pages); BENCH_MILLION=1 adds 1,000,000 readers.
  const sizes = quick ? [10_000] : process.env.BENCH_MILLION ? [100_000, 1_000_000] : [100_000];
  for (const readers of sizes) {
    console.log(`\n## The desk's readers list, server time (${readers.toLocaleString('en')} readers)`);
    const rows: Row[] = await benchReadersList(readers, quick ? 10 : 20);
    console.table(rows);
    const slowestOf = (some: typeof rows) => some.reduce((a, b) => (num(b['median ms']) > num(a['median ms']) ? b : a));
    const isSearch = (r: (typeof rows)[number]) => String(r.page).includes('q=');
    const slowest = slowestOf(rows.filter(isSearch));
    const slowestFilter = slowestOf(rows.filter((r) => !isSearch(r)));
    target(`readers list, filters and pages < 50 ms at ${readers} readers (slowest median)`, `${slowestFilter['median ms']} ms (${slowestFilter.page})`, num(slowestFilter['median ms']) < 50);
    target(`readers search by address or name < 50 ms at ${readers} readers (slowest median)`, `${slowest['median ms']} ms (${slowest.page})`, num(slowest['median ms']) < 50);
  }
});

console.log('\n## Targets');
console.table(targets);

console.log('\n## Time per benchmark');
console.table(sections);
