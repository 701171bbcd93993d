/**
 * `npx tsx bench/personalise-modes.ts [rounds]`: why a Node run of `npm run bench -- personalise`
 * lands in a fast (~2.5–3.5 µs) or slow (~5–6 µs) group. In interleaved rounds of ~10–25 ms it
 * times, per email: the signed personalisation; the same without the MAC ("plain"); the keyed
 * hash alone, twice per email, which allocates nothing and is optimised long before (so neither
 * GC nor tiering can touch it); and a single-chain xorshift loop (latency-bound, one instruction
 * at a time). On the shared 2-vCPU machine the fast rounds come in runs, and in the same rounds
 * the hash, plain and signed all speed up by about the same factor (~1.6×) while xorshift does not:
 * the mode is how much throughput the CPU gives this process at that moment (what else runs on
 * the core under the VM), not anything in the process. Prints each series, then each mode's
 * spread and its correlation with the others; `--trace-deopt` shows no deopt in the rounds and
 * `--trace-gc` one scavenge every two rounds (~1% of the time).
 */
import { renderDigestEmail } from '../src/emails/render';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import { hmacSha256 } from '../src/keyed-hash';
import { campaignReaderLinks } from '../src/subscribers/links';
import { TokenSigner } from '../src/tokens';
import { benchDigestProps } from './digest-props';

const names = ['Ada', 'Zoë O’Brien', 'Ελένη', '王芳', null, 'Sam <&> "Q"'];
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
const base = 'https://newsletter.example.org';
const view = `${base}/archive/7`;
const placeholders = createPlaceholders();
const personalise = compilePersonalised(await renderDigestEmail({ ...benchDigestProps, ...placeholders.values }), placeholders);
const paired = campaignReaderLinks({ signer: new TokenSigner(secret), config: { publicUrl: base } }, 7, 1795400000_000, true);
const hash = hmacSha256(secret);
const message = new TextEncoder().encode('pair:7:12345:1795400000');
const out = new Uint8Array(32);
const plainLinks = (id: number) => ({
  unsubscribeUrl: `${base}/unsubscribe/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`,
  preferencesUrl: `${base}/preferences/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`,
  readerToken: `7.${id}.uUeoBpTyLvxxQvDTwvHRtQ`,
  linksHtmlSafe: true,
});
let kept = 0;
let x = 1;
const rounds = Number(process.argv[2] ?? 40);
const n = 4000;
const modes: Record<string, () => void> = {
  hash: () => {
    for (let i = 0; i < 2 * n; i++) {
      message[10] = 48 + (i % 10);
      kept += hash(message, message.length, out)[3]! & 1;
    }
  },
  xorshift: () => {
    for (let i = 0; i < 1000 * n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
    }
  },
  plain: () => {
    for (let i = 0; i < n; i++) kept += personalise({ name: names[i % names.length], ...plainLinks(i + 1), viewInBrowserUrl: view }).html.length & 1;
  },
  signed: () => {
    for (let i = 0; i < n; i++) kept += personalise({ name: names[i % names.length], ...paired(i + 1), viewInBrowserUrl: view }).html.length & 1;
  },
};
const series: Record<string, number[]> = {};
for (let r = 0; r < rounds + 5; r++)
  for (const [m, run] of Object.entries(modes)) {
    const start = cpuUs();
    run();
    if (r >= 5) (series[m] ??= []).push((cpuUs() - start) / n);
  }
const corr = (a: number[], b: number[]) => {
  const mean = (v: number[]) => v.reduce((s, y) => s + y, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let c = 0, va = 0, vb = 0;
  for (let i = 0; i < a.length; i++) {
    c += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return c / Math.sqrt(va * vb);
};
for (const [m, s] of Object.entries(series)) console.log(m.padEnd(8), s.map((v) => v.toFixed(2)).join(' '));
for (const [m, s] of Object.entries(series)) {
  const sorted = [...s].sort((a, b) => a - b);
  const others = Object.keys(series).filter((o) => o !== m).map((o) => `r(${o}) ${corr(s, series[o]!).toFixed(2)}`);
  console.log(`${m.padEnd(8)} µs per email: min ${sorted[0]!.toFixed(2)}, median ${sorted[s.length >> 1]!.toFixed(2)}, max ${sorted.at(-1)!.toFixed(2)}; ${others.join(', ')}`);
}
if (kept === -1 || x === 0) console.log('');
