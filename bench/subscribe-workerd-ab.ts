/**
 * bench/subscribe-workerd.ts with two or more D1 setups alternated in the same minutes, `rounds`
 * times: CPU per sign-up, the steady p99 and the errors side by side. A setup is `disk` (D1's
 * file in miniflare's temporary directory, BENCH_D1_ON_DISK=1), `shm` (on /dev/shm, the bench's
 * default) or `remote` (D1 in its own workerd process, BENCH_D1_REMOTE=1; on /dev/shm); or
 * `bundle=PATH` (another Worker bundle on /dev/shm, e.g. an older tree's, BENCH_WORKER).
 *
 *   npx tsx bench/subscribe-workerd-ab.ts [seconds] [rounds] [rate] [setups, default disk,shm]
 */
import { benchSubscribeWorkerd } from './subscribe-workerd';

const [secondsArg = '10', roundsArg = '2', rateArg = '100', setupsArg = 'disk,shm'] = process.argv.slice(2);
const [seconds, rounds, rate] = [secondsArg, roundsArg, rateArg].map(Number) as [number, number, number];
const setups = setupsArg.split(',');
const rows: Record<string, unknown>[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const setup of setups) {
    process.env.BENCH_D1_ON_DISK = setup === 'disk' ? '1' : '0';
    process.env.BENCH_D1_REMOTE = setup === 'remote' ? '1' : '0';
    if (setup.startsWith('bundle=')) process.env.BENCH_WORKER = setup.slice('bundle='.length);
    else delete process.env.BENCH_WORKER;
    const r: Record<string, unknown> = await benchSubscribeWorkerd(seconds, 10, rate);
    rows.push({
      round,
      D1: setup,
      'bare CPU ms': r['bare route CPU per request (ms)'],
      'ceiling req/s': r['sign-up requests/s at saturation'],
      'saturated CPU ms': r['sign-up CPU per request, saturation (ms)'],
      'steady achieved': r[`steady ${rate} req/s offered: achieved`],
      'steady p50/p99/max': r['steady: p50 / p99 / max (ms)'],
      'steady CPU ms': r['sign-up CPU per request, steady (ms)'],
      'D1 process CPU ms': r['D1 process CPU per sign-up, steady (ms)'] ?? '-',
      'errors at saturation': r['errors at saturation'],
      'errors steady': r['errors steady'],
      lost: r['answered 2xx but not stored (lost)'],
    });
    console.log(rows.at(-1));
  }
}
console.table(rows);
