/**
 * Personalisation: rendering a digest with react-email for every reader, versus rendering once
 * with placeholders and substituting per reader (what the send does). Also the cost with the
 * reader's two signed links (HMAC-SHA256 via WebCrypto), which the real send pays too.
 */
import { renderDigestEmail } from '../src/emails/render';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import type { DigestArticle } from '../emails/_components/types';
import { createHmac } from 'node:crypto';
import { TokenSigner } from '../src/tokens';

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

export async function benchPersonalise() {
  // Warm up both paths (JIT, module caches).
  for (let i = 0; i < 20; i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });

  const renderRuns = 200;
  let start = process.hrtime.bigint();
  for (let i = 0; i < renderRuns; i++) await renderDigestEmail({ ...props, name: names[i % names.length], ...links(i) });
  const renderUs = Number(process.hrtime.bigint() - start) / 1000 / renderRuns;

  const placeholders = createPlaceholders();
  const personalise = compilePersonalised(await renderDigestEmail({ ...props, ...placeholders.values }), placeholders);
  const runs = 200_000;
  for (let i = 0; i < 10_000; i++) personalise({ name: names[i % names.length], ...links(i) });
  let bytes = 0;
  start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) bytes += personalise({ name: names[i % names.length], ...links(i) }).html.length;
  const personaliseUs = Number(process.hrtime.bigint() - start) / 1000 / runs;

  // As on Node (src/node/deps.ts): node:crypto's synchronous HMAC; WebCrypto's is measured too.
  const secret = 'bench-secret-0123456789abcdef0123456789abcdef';
  const signedRuns = 20_000;
  const withLinks = async (signer: TokenSigner) => {
    const begin = process.hrtime.bigint();
    for (let i = 0; i < signedRuns; i++) {
      const [u, p] = await Promise.all([
        signer.sign({ purpose: 'unsubscribe', subscriberId: i + 1, issuedAt: 1795400000, extra: '7' }),
        signer.sign({ purpose: 'preferences', subscriberId: i + 1, issuedAt: 1795400000 }),
      ]);
      bytes += personalise({ name: names[i % names.length], unsubscribeUrl: u, preferencesUrl: p, viewInBrowserUrl: links(0).viewInBrowserUrl }).html.length;
    }
    return Number(process.hrtime.bigint() - begin) / 1000 / signedRuns;
  };
  const signedUs = await withLinks(new TokenSigner(secret, (payload) => createHmac('sha256', secret).update(payload).digest()));
  const webCryptoUs = await withLinks(new TokenSigner(secret));

  return {
    'react-email render per reader (µs)': round(renderUs),
    'placeholder substitution per reader (µs)': round(personaliseUs),
    speedup: `${Math.round(renderUs / personaliseUs)}×`,
    'substitution + two signed links, node:crypto (µs)': round(signedUs),
    'substitution + two signed links, WebCrypto (µs)': round(webCryptoUs),
    'digest html size (bytes)': Math.round(bytes / (runs + 2 * signedRuns)),
  };
}

const round = (n: number) => Math.round(n * 100) / 100;
