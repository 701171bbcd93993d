/**
 * Personalisation: rendering a digest with react-email for every reader, versus rendering once
 * with placeholders and substituting per reader (what the send does). Also the cost with the
 * reader's two signed links (HMAC-SHA256 via WebCrypto), which the real send pays too.
 */
import { createHmac } from 'node:crypto';
import { renderDigestEmail } from '../src/emails/render';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import type { DigestArticle } from '../emails/_components/types';
import { toBase64Url } from '../src/base64url';
import { TokenSigner } from '../src/tokens';
import { TrackingSigner, newTrackingKey } from '../src/tracking/tracking-tokens';

const site = { name: 'The Riverside Ledger', url: 'https://news.example.org', contactLine: '12 Mill Lane, Riverside' };
const articles: DigestArticle[] = Array.from({ length: 10 }, (_, i) => ({
  title: `Council approves the river park plan, part ${i + 1}`,
  url: `https://news.example.org/2026/11/story-${i + 1}/`,
  excerpt: 'After three years of hearings the council voted seven to two; construction starts in spring.',
  author: 'Ines Marlow',
  category: 'Local',
  image: { src: `https://news.example.org/images/${i + 1}.jpg`, alt: 'The riverbank at dawn', width: 600, height: 338 },
}));
const props = { site, issueDate: '2026-11-23', intro: 'Good morning. **Three things** happened this week.', articles };
const names = ['Ada', 'Zoë O’Brien', 'Ελένη', '王芳', null, 'Sam <&> "Q"'];
const links = (i: number) => ({
  unsubscribeUrl: `https://newsletter.example.org/unsubscribe/tok${i}`,
  preferencesUrl: `https://newsletter.example.org/preferences/tok${i}`,
  viewInBrowserUrl: 'https://newsletter.example.org/archive/7',
});

export async function benchPersonalise(quick = false) {
  // Warm up both paths (JIT, module caches).
  for (let i = 0; i < 20; i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });

  const renderRuns = quick ? 50 : 200;
  let start = process.hrtime.bigint();
  for (let i = 0; i < renderRuns; i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });
  const renderUs = Number(process.hrtime.bigint() - start) / 1000 / renderRuns;

  const placeholders = createPlaceholders();
  const personalise = compilePersonalised(await renderDigestEmail({ ...props, ...placeholders.values }), placeholders);
  const runs = quick ? 50_000 : 200_000;
  for (let i = 0; i < 10_000; i++) personalise({ name: names[i % names.length], ...links(i) });
  let bytes = 0;
  start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) bytes += personalise({ name: names[i % names.length], ...links(i) }).html.length;
  const personaliseUs = Number(process.hrtime.bigint() - start) / 1000 / runs;

  // What a send does per reader: the unsubscribe and preferences links (TokenSigner) and the
  // reader's tracking token, each an HMAC-SHA256, then the substitution. Side by side: the same
  // three MACs through WebCrypto (what the Worker used before), which must give the same tokens.
  const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
  const signedRuns = quick ? 5_000 : 50_000;
  const tracking = await TrackingSigner.fromKey(newTrackingKey());
  const signer = new TokenSigner(secret);
  const withLinks = async (mac: (p: string) => Promise<string> | string) => {
    for (let i = 0; i < 2_000; i++) await mac(`unsubscribe:${i}:1795400000:7`);
    const begin = process.hrtime.bigint();
    for (let i = 0; i < signedRuns; i++) {
      const u = await mac(`unsubscribe:${i + 1}:1795400000:7`);
      const p = await mac(`preferences:${i + 1}:1795400000`);
      const r = await mac(`reader:7:${i + 1}`);
      bytes += personalise({ name: names[i % names.length], unsubscribeUrl: u, preferencesUrl: p, viewInBrowserUrl: links(0).viewInBrowserUrl, readerToken: r }).html.length;
    }
    return Number(process.hrtime.bigint() - begin) / 1000 / signedRuns;
  };
  let n = 0;
  const signedUs = await withLinks(async () => {
    n++;
    // The real calls of a send: TokenSigner.sign twice, TrackingSigner.sign once, round-robin.
    if (n % 3 === 1) return signer.sign({ purpose: 'unsubscribe', subscriberId: n, issuedAt: 1795400000, extra: '7' });
    if (n % 3 === 2) return signer.sign({ purpose: 'preferences', subscriberId: n, issuedAt: 1795400000 });
    return tracking.sign('reader', { campaignId: 7, value: n });
  });
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const webCryptoUs = await withLinks(async (payload) => toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload)))));
  // What src/keyed-hash.ts used before fast-sha256.
  const createHmacUs = await withLinks((payload) => toBase64Url(createHmac('sha256', secret).update(payload).digest()));

  return {
    'react-email render per reader (µs)': round(renderUs),
    'placeholder substitution per reader (µs)': round(personaliseUs),
    speedup: `${Math.round(renderUs / personaliseUs)}×`,
    'substitution + three signed links (µs)': round(signedUs),
    'substitution + three signed links, WebCrypto HMAC (µs)': round(webCryptoUs),
    'substitution + three signed links, node:crypto createHmac (µs)': round(createHmacUs),
    // One reader's email as sent: UTF-8 bytes of the HTML with real signed links and tracking token.
    'digest html size (bytes)': await sentSize(personalise, signer, tracking),
    // Keeps the loops' results alive, so no engine can skip the work.
    'characters personalised (all loops)': bytes,
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

async function sentSize(personalise: ReturnType<typeof compilePersonalised>, signer: TokenSigner, tracking: TrackingSigner) {
  const base = 'https://newsletter.example.org';
  const unsubscribe = await signer.sign({ purpose: 'unsubscribe', subscriberId: 48211, issuedAt: 1795400000, extra: '7' });
  const preferences = await signer.sign({ purpose: 'preferences', subscriberId: 48211, issuedAt: 1795400000 });
  const email = personalise({
    name: 'Zoë O’Brien',
    unsubscribeUrl: `${base}/unsubscribe/${unsubscribe}`,
    preferencesUrl: `${base}/preferences/${preferences}`,
    viewInBrowserUrl: `${base}/archive/7`,
    readerToken: await tracking.sign('reader', { campaignId: 7, value: 48211 }),
  });
  return Buffer.byteLength(email.html);
}
