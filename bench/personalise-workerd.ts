/**
 * Personalisation on the Worker's runtime: bench/personalise-workerd-entry.ts bundled with esbuild
 * and run in workerd through miniflare (both come with wrangler). Each mode is timed from here
 * around one request, minus the same request with no work (startup, JSON); workerd's own clock
 * does not move during pure computation. On Linux the rows are workerd's CPU time (every thread
 * of the workerd process this benchmark started, from /proc), which load from other processes
 * inflates far less than the wall time; elsewhere the wall time.
 */
import { build } from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { createPlaceholders } from '../src/emails/placeholders';
import { renderDigestEmail } from '../src/emails/render';
import { digestProps, manyArticles } from '../test/emails/helpers';

export async function benchPersonaliseWorkerd(quick = false) {
  const out = await build({ entryPoints: ['bench/personalise-workerd-entry.ts'], bundle: true, format: 'esm', write: false, platform: 'neutral', mainFields: ['module', 'main'], target: 'es2022', external: ['node:*'] });
  const mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2025-04-01', compatibilityFlags: ['nodejs_compat'] });
  // node:crypto (src/keyed-hash.ts) comes from workerd itself, as in the deployed Worker (wrangler.toml).
  try {
    const placeholders = createPlaceholders();
    const rendered = await renderDigestEmail({ ...digestProps({ articles: manyArticles(10) }), ...placeholders.values });
    const runs = quick ? 5_000 : 50_000;
    const clock = (await workerdCpuMs()) === undefined ? () => performance.now() : async () => (await workerdCpuMs())!;
    const time = async (mode: string, n: number) => {
      const started = await clock();
      const res = await mf.dispatchFetch('http://bench/', { method: 'POST', body: JSON.stringify({ rendered, nonce: placeholders.nonce, runs: n, mode }) });
      await res.json();
      return (await clock()) - started;
    };
    // Warm-up; the two slow comparisons (~90 and ~230 µs an email) are a fifth as long with --quick.
    const slowRuns = quick ? 1_000 : runs;
    for (const mode of ['plain', 'signed', 'main', 'unpaired', 'webcrypto', 'nodecrypto']) await time(mode, quick && (mode === 'webcrypto' || mode === 'nodecrypto') ? 500 : 2_000);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const bases: number[] = [];
    for (let r = 0; r < 5; r++) bases.push(await time('plain', 0));
    const base = median(bases);
    const perEmail = async (mode: string, n = runs) => ((await time(mode, n)) - base) * 1000 / n;
    // Interleaved rounds, median of each: a load that comes and goes touches every mode alike.
    const rounds: Record<string, number[]> = { plain: [], signed: [], main: [], unpaired: [] };
    for (let r = 0; r < 5; r++) for (const m of Object.keys(rounds)) rounds[m]!.push(await perEmail(m));
    const [plain, signed, main, unpaired] = [median(rounds.plain!), median(rounds.signed!), median(rounds.main!), median(rounds.unpaired!)];
    return {
      clock: (await workerdCpuMs()) === undefined ? 'wall time' : 'workerd CPU time',
      'placeholder substitution per reader, workerd (µs)': round(plain),
      'substitution + three signed links, workerd (µs)': round(signed),
      'substitution + three signed links as main made them: two MACs, fast-sha256, workerd (µs)': round(main),
      'substitution + three signed links, unpaired: two MACs, workerd (µs)': round(unpaired),
      'signed links alone, now / main, workerd (µs)': `${round(signed - plain)} / ${round(main - plain)}`,
      'substitution + three signed links, WebCrypto HMAC, workerd (µs)': round(await perEmail('webcrypto', slowRuns)),
      'substitution + three signed links, node:crypto createHmac, workerd (µs)': round(await perEmail('nodecrypto', slowRuns)),
    };
  } finally {
    await mf.dispose();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * CPU milliseconds of the workerd processes this process started (miniflare spawns one): the sum
 * over their threads of the time on CPU (/proc/<pid>/task/<tid>/schedstat, nanoseconds).
 * undefined where /proc is not there.
 */
async function workerdCpuMs(): Promise<number | undefined> {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  let ns = 0;
  let found = false;
  for (const pid of pids) {
    try {
      const stat = /^\d+ \((.*)\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      if (!stat || stat[1] !== 'workerd' || stat[2] !== String(process.pid)) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      found = true;
    } catch {
      // A process that ended meanwhile.
    }
  }
  return found ? ns / 1e6 : undefined;
}
