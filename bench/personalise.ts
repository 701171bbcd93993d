/**
 * Personalisation: rendering a digest with react-email for every reader, versus rendering once
 * with placeholders and substituting per reader (what the send does). Also the cost with the
 * reader's signed links (unsubscribe, preferences, tracking token), which the real send pays too,
 * against the same links as main made them before (bench/main-signers.ts), in the same rounds.
 */
import { createHmac } from 'node:crypto';
import { renderDigestEmail } from '../src/emails/render';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import { benchDigestProps } from './digest-props';
import { fromBase64Url, toBase64Url } from '../src/base64url';
import { mainReaderLinks, mainReaderTokens } from './main-signers';
import { campaignReaderLinks } from '../src/subscribers/links';
import { TokenSigner } from '../src/tokens';
import { TrackingSigner, newTrackingKey } from '../src/tracking/tracking-tokens';

const props = benchDigestProps;
const names = ['Ada', 'Zoë O’Brien', 'Ελένη', '王芳', null, 'Sam <&> "Q"'];
const links = (i: number) => ({
  unsubscribeUrl: `https://newsletter.example.org/unsubscribe/tok${i}`,
  preferencesUrl: `https://newsletter.example.org/preferences/tok${i}`,
  viewInBrowserUrl: 'https://newsletter.example.org/archive/7',
});

export async function benchPersonalise(quick = false) {
  // Warm up both paths (JIT, module caches).
  for (let i = 0; i < (quick ? 10 : 20); i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });

  const renderRuns = quick ? 20 : 200;
  let start = cpuUs();
  for (let i = 0; i < renderRuns; i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });
  const renderUs = (cpuUs() - start) / renderRuns;

  const placeholders = createPlaceholders();
  const personalise = compilePersonalised(await renderDigestEmail({ ...props, ...placeholders.values }), placeholders);
  const runs = quick ? 50_000 : 200_000;
  for (let i = 0; i < 10_000; i++) personalise({ name: names[i % names.length], ...links(i) });
  let bytes = 0;
  start = cpuUs();
  for (let i = 0; i < runs; i++) bytes += personalise({ name: names[i % names.length], ...links(i) }).html.length;
  const personaliseUs = (cpuUs() - start) / runs;

  // What a send does per reader (src/sending/campaign-messages.ts): one MAC per reader signs the
  // unsubscribe token (which the preferences link carries too) and the tracking reader token
  // (campaignReaderLinks, paired), then the substitution. Side by side, in the same interleaved
  // rounds: the same three links as main made them before pairing (bench/main-signers.ts: two
  // MACs, fast-sha256), the current code's unpaired path (what a send started before pairing
  // still does: two MACs with src/keyed-hash.ts), and the same three MACs through WebCrypto and
  // through node:crypto's createHmac.
  const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
  const signedRuns = quick ? 5_000 : 50_000;
  const trackingKey = newTrackingKey();
  const tracking = await TrackingSigner.fromKey(trackingKey);
  const signer = new TokenSigner(secret);
  type Links = { unsubscribeUrl: string; preferencesUrl: string; readerToken?: string; linksHtmlSafe?: boolean };
  const withLinks = async (linksFor: (id: number) => Promise<Links> | Links, n = signedRuns, warm = 2_000) => {
    for (let i = 0; i < warm; i++) await linksFor(i + 1);
    const begin = cpuUs();
    for (let i = 0; i < n; i++) {
      const made = linksFor(i + 1);
      // A synchronous signer is not made to pay for an await it does not need.
      const l = made instanceof Promise ? await made : made;
      bytes += personalise({ name: names[i % names.length], ...l, viewInBrowserUrl: links(0).viewInBrowserUrl }).html.length;
    }
    return (cpuUs() - begin) / n;
  };
  const base = 'https://newsletter.example.org';
  const paired = campaignReaderLinks({ signer, config: { publicUrl: base } }, 7, 1795400000_000, true);
  const unpairedLinks = campaignReaderLinks({ signer, config: { publicUrl: base } }, 7, 1795400000_000);
  const unpairedToken = tracking.readerSigner(7);
  const mainLinks = mainReaderLinks(secret, base, 7, 1795400000_000);
  const mainToken = mainReaderTokens(fromBase64Url(trackingKey)!, 7);
  const modes = {
    // The substitution alone, in the same rounds, with links of the same length as now.
    plain: (id: number) => ({ unsubscribeUrl: `${base}/unsubscribe/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`, preferencesUrl: `${base}/preferences/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`, readerToken: `7.${id}.uUeoBpTyLvxxQvDTwvHRtQ`, linksHtmlSafe: true }),
    signed: paired,
    main: (id: number) => ({ ...mainLinks(id), readerToken: mainToken(id) }),
    unpaired: (id: number) => ({ ...unpairedLinks(id), readerToken: unpairedToken(id) }),
  };
  // Interleaved rounds, median of each: a load that comes and goes touches every mode alike.
  const rounds: Record<keyof typeof modes, number[]> = { plain: [], signed: [], main: [], unpaired: [] };
  for (let r = 0; r < 5; r++) for (const m of Object.keys(modes) as (keyof typeof modes)[]) rounds[m].push(await withLinks(modes[m], signedRuns / 5));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const [plainUs, signedUs, mainUs, unpairedUs] = [median(rounds.plain), median(rounds.signed), median(rounds.main), median(rounds.unpaired)];
  // The two slow comparisons (~40 and ~190 µs an email) are a fifth as long with --quick.
  const threeMacs = async (mac: (payload: string) => Promise<string> | string) =>
    withLinks(async (id) => ({
      unsubscribeUrl: `${base}/unsubscribe/${await mac(`unsubscribe:${id}:1795400000:7`)}`,
      preferencesUrl: `${base}/preferences/${await mac(`preferences:${id}:1795400000`)}`,
      readerToken: await mac(`reader:7:${id}`),
    }), quick ? 1_000 : signedRuns, quick ? 500 : 2_000);
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const webCryptoUs = await threeMacs(async (payload) => toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload)))));
  // What src/keyed-hash.ts used before fast-sha256.
  const createHmacUs = await threeMacs((payload) => toBase64Url(createHmac('sha256', secret).update(payload).digest()));

  return {
    clock: 'CPU time of this process',
    'react-email render per reader (µs)': round(renderUs),
    'placeholder substitution per reader (µs)': round(personaliseUs),
    speedup: `${Math.round(renderUs / personaliseUs)}×`,
    'substitution + three signed links (µs)': round(signedUs),
    'substitution + three signed links as main made them: two MACs, fast-sha256 (µs)': round(mainUs),
    'substitution + three signed links, unpaired: two MACs (µs)': round(unpairedUs),
    'substitution alone, same rounds (µs)': round(plainUs),
    'signed links alone, now / main (µs)': `${round(signedUs - plainUs)} / ${round(mainUs - plainUs)}`,
    'substitution + three signed links, WebCrypto HMAC (µs)': round(webCryptoUs),
    'substitution + three signed links, node:crypto createHmac (µs)': round(createHmacUs),
    // One reader's email as sent: UTF-8 bytes of the HTML with real signed links and tracking token.
    'digest html size (bytes)': await sentSize(personalise, signer),
    // Keeps the loops' results alive, so no engine can skip the work.
    'characters personalised (all loops)': bytes,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * This process's CPU time in µs (every thread, so GC is counted): on a shared machine other
 * processes' load inflates it far less than the wall time.
 */
const cpuUs = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

async function sentSize(personalise: ReturnType<typeof compilePersonalised>, signer: TokenSigner) {
  const base = 'https://newsletter.example.org';
  const email = personalise({
    name: 'Zoë O’Brien',
    ...campaignReaderLinks({ signer, config: { publicUrl: base } }, 7, 1795400000_000, true)(48211),
    viewInBrowserUrl: `${base}/archive/7`,
  });
  return Buffer.byteLength(email.html);
}
