/**
 * Runs inside workerd (bench/personalise-workerd.ts bundles it and starts it with miniflare):
 * the send's per-reader work on the Worker's runtime — substitution into a once-rendered digest
 * plus the reader's three signed links (unsubscribe, preferences, tracking token) — timed with
 * the same loop as on Node; side by side the three signed links as main made them before pairing
 * (bench/main-signers.ts), the current code's unpaired path, and the same three MACs through
 * WebCrypto and node:crypto.
 * workerd's clock only advances across I/O, so the loop is timed by the caller around a fetch.
 */
import { createHmac } from 'node:crypto';
import { fromBase64Url, toBase64Url } from '../src/base64url';
import { mainReaderLinks, mainReaderTokens } from './main-signers';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import { campaignReaderLinks } from '../src/subscribers/links';
import { TokenSigner } from '../src/tokens';
import { TrackingSigner, newTrackingKey } from '../src/tracking/tracking-tokens';
import type { RenderedEmail } from '../emails/_components/types';

const names = ['Ada', 'Zoë O’Brien', 'Ελένη', '王芳', null, 'Sam <&> "Q"'];
const secret = 'bench-secret-0123456789abcdef0123456789abcdef';

export default {
  async fetch(request: Request): Promise<Response> {
    const { rendered, nonce, runs, mode } = (await request.json()) as { rendered: RenderedEmail; nonce: string; runs: number; mode: 'plain' | 'signed' | 'main' | 'unpaired' | 'webcrypto' | 'nodecrypto' };
    const personalise = compilePersonalised(rendered, createPlaceholders(nonce));
    const signer = new TokenSigner(secret);
    const trackingKey = newTrackingKey();
    const tracking = await TrackingSigner.fromKey(trackingKey);
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const web = async (p: string) => toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(p))));
    // What src/keyed-hash.ts used before fast-sha256: workerd's node:crypto.
    const node = (m: string) => toBase64Url(createHmac('sha256', secret).update(m).digest());
    const paired = campaignReaderLinks({ signer, config: { publicUrl: 'https://n.example' } }, 7, 1795400000_000, true);
    const unpaired = campaignReaderLinks({ signer, config: { publicUrl: 'https://n.example' } }, 7, 1795400000_000);
    const readerToken = tracking.readerSigner(7);
    const mainLinks = mainReaderLinks(secret, 'https://n.example', 7, 1795400000_000);
    const mainToken = mainReaderTokens(fromBase64Url(trackingKey)!, 7);
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const id = i + 1;
      // plain: the substitution alone, with links of the same length as now.
      let u = `https://n.example/unsubscribe/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`;
      let p = `https://n.example/preferences/dW5zdWJzY3JpYmU6${id}OjE3OTU0MDAwMDA6Nw.Xx2bUvIYqDNaSDoCiiS9OE`;
      let r: string | undefined = `7.${id}.uUeoBpTyLvxxQvDTwvHRtQ`;
      // The links' own word that they need no escaping (links.ts); the plain ones need none either.
      let safe = mode === 'plain';
      if (mode === 'signed') {
        // What the send does now (src/sending/campaign-messages.ts): one MAC, paired.
        ({ unsubscribeUrl: u, preferencesUrl: p, readerToken: r, linksHtmlSafe: safe } = paired(id));
      } else if (mode === 'main') {
        ({ unsubscribeUrl: u, preferencesUrl: p } = mainLinks(id));
        r = mainToken(id);
      } else if (mode === 'unpaired') {
        ({ unsubscribeUrl: u, preferencesUrl: p, linksHtmlSafe: safe } = unpaired(id));
        r = readerToken(id);
      } else if (mode === 'webcrypto') {
        u = await web(`unsubscribe:${id}:1795400000:7`);
        p = await web(`preferences:${id}:1795400000`);
        r = await web(`reader:7:${id}`);
      } else if (mode === 'nodecrypto') {
        u = node(`unsubscribe:${id}:1795400000:7`);
        p = node(`preferences:${id}:1795400000`);
        r = node(`reader:7:${id}`);
      }
      bytes += personalise({ name: names[i % names.length], unsubscribeUrl: u, preferencesUrl: p, viewInBrowserUrl: 'https://n.example/archive/7', readerToken: r, linksHtmlSafe: safe }).html.length;
    }
    return Response.json({ bytes });
  },
};
