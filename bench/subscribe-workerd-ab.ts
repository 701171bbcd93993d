/**
 * bench/subscribe-workerd.ts with D1 on disk and on /dev/shm alternated in the same minutes
 * (BENCH_D1_ON_DISK), `rounds` times: CPU per sign-up and the steady p99 side by side.
 *
 *   npx tsx bench/subscribe-workerd-ab.ts [seconds] [rounds] [rate]
 */
import { benchSubscribeWorkerd } from './subscribe-workerd';

const [seconds = 10, rounds = 2, rate = 100] = process.argv.slice(2).map(Number);
const rows: Record<string, unknown>[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const where of ['disk', 'shm'] as const) {
    process.env.BENCH_D1_ON_DISK = where === 'disk' ? '1' : '0';
    const r = await benchSubscribeWorkerd(seconds, 10, rate);
    rows.push({
      round,
      D1: where,
      'bare CPU ms': r['bare route CPU per request (ms)'],
      'ceiling req/s': r['sign-up requests/s at saturation'],
      'saturated CPU ms': r['sign-up CPU per request, saturation (ms)'],
      'steady achieved': r[`steady ${rate} req/s offered: achieved`],
      'steady p50/p99/max': r['steady: p50 / p99 / max (ms)'],
      'steady CPU ms': r['sign-up CPU per request, steady (ms)'],
      errors: r.errors,
      lost: r['answered 2xx but not stored (lost)'],
    });
    console.log(rows.at(-1));
  }
}
console.table(rows);
