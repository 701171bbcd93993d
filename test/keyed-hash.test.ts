/**
 * The synchronous keyed hash is exactly HMAC-SHA256: checked against WebCrypto (what signed every
 * link before it) and node:crypto, for arbitrary keys and messages, with every length around the
 * 64-byte block and its 55-byte padding limit, and non-ASCII text.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../src/base64url';
import { hmacSha256 } from '../src/keyed-hash';
import { TrackingSigner, newTrackingKey } from '../src/tracking/tracking-tokens';

const webHmac = async (key: Uint8Array<ArrayBuffer>, message: string) => {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message)));
};

const message = fc.oneof(
  fc.nat({ max: 300 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.stringMatching(/^(unsubscribe|preferences|reader|hash:[a-z]+):[0-9]{1,12}:[0-9]{1,10}(:[0-9]{1,6})?$/),
);
// WebCrypto refuses an empty key; SECRET is never empty.
const key = fc.uint8Array({ minLength: 1, maxLength: 150 });

describe('hmacSha256', () => {
  it('equals WebCrypto and node:crypto for any key and message (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(key, fc.array(message, { minLength: 1, maxLength: 4 }), async (k, messages) => {
        const bytes = new Uint8Array(k);
        const mac = hmacSha256(bytes);
        // Several messages with one key: no state may leak from one call into the next.
        for (const m of messages) {
          const ours = mac(m);
          expect(toBase64Url(ours)).toBe(toBase64Url(await webHmac(bytes, m)));
          expect(Buffer.from(ours).equals(createHmac('sha256', bytes).update(m).digest())).toBe(true);
        }
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('bytes are hashed as given, the same as the string they spell (the per-reader signers pass bytes)', () => {
    fc.assert(
      fc.property(key, fc.array(message, { minLength: 1, maxLength: 4 }), (k, messages) => {
        const mac = hmacSha256(new Uint8Array(k));
        for (const m of messages) {
          const bytes = new TextEncoder().encode(m);
          expect(Buffer.from(mac(bytes)).equals(createHmac('sha256', new Uint8Array(k)).update(bytes).digest())).toBe(true);
          expect(mac(bytes)).toEqual(mac(m));
        }
      }),
      { numRuns: 200, seed: 14 },
    );
  });

  it('every message length from 0 to 200 bytes, with a string key', () => {
    const mac = hmacSha256('tokens-test-secret-0123456789abcdef0123456789');
    for (let n = 0; n <= 200; n++) {
      const m = 'é'.repeat(n % 3) + 'a'.repeat(n);
      expect(Buffer.from(mac(m)).toString('hex')).toBe(createHmac('sha256', 'tokens-test-secret-0123456789abcdef0123456789').update(m).digest('hex'));
    }
  });

  it('tracking tokens are the same as WebCrypto made them (truncated to 128 bits)', async () => {
    const k = newTrackingKey();
    const signer = await TrackingSigner.fromKey(k);
    const raw = Uint8Array.from(atob(k.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    for (const [campaignId, value] of [[1, 0], [7, 123456], [999, 2 ** 40]] as const) {
      const mac = (await webHmac(raw, `reader:${campaignId}:${value}`)).subarray(0, 16);
      const token = await signer.sign('reader', { campaignId, value });
      expect(token).toBe(`${campaignId}.${value}.${toBase64Url(mac)}`);
      expect(await signer.verify('reader', token)).toEqual({ campaignId, value });
      expect(await signer.verify('link', token)).toBeNull();
    }
  });
});
