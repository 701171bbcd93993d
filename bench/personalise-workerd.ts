/**
 * Personalisation on the Worker's runtime: bench/personalise-workerd-entry.ts bundled with esbuild
 * and run in workerd through miniflare (both come with wrangler). Each mode is timed from here
 * around one request, minus the same request with no work (startup, JSON); workerd's own clock
 * does not move during pure computation.
 */
import { build } from 'esbuild';
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
    const time = async (mode: string, n: number) => {
      const started = performance.now();
      const res = await mf.dispatchFetch('http://bench/', { method: 'POST', body: JSON.stringify({ rendered, nonce: placeholders.nonce, runs: n, mode }) });
      await res.json();
      return performance.now() - started;
    };
    for (const mode of ['plain', 'signed', 'before', 'webcrypto', 'nodecrypto']) await time(mode, 2_000); // warm-up
    const base = await time('plain', 0);
    const perEmail = async (mode: string) => ((await time(mode, runs)) - base) * 1000 / runs;
    return {
      'placeholder substitution per reader, workerd (µs)': round(await perEmail('plain')),
      'substitution + three signed links, workerd (µs)': round(await perEmail('signed')),
      'substitution + three signed links as before, workerd (µs)': round(await perEmail('before')),
      'substitution + three signed links, WebCrypto HMAC, workerd (µs)': round(await perEmail('webcrypto')),
      'substitution + three signed links, node:crypto createHmac, workerd (µs)': round(await perEmail('nodecrypto')),
    };
  } finally {
    await mf.dispose();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;
