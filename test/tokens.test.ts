import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../src/base64url';
import { TokenSigner } from '../src/tokens';

const secret = 'tokens-test-secret-0123456789abcdef0123456789';

describe('TokenSigner', () => {
  it("makes exactly the tokens WebCrypto's HMAC makes (the spelling of every link already sent), and verifies them", async () => {
    const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const web = {
      async sign(c: { purpose: string; subscriberId: number; issuedAt: number; extra?: string }) {
        const payload = [c.purpose, c.subscriberId, c.issuedAt, ...(c.extra === undefined ? [] : [c.extra])].join(':');
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(payload)));
        return `${toBase64Url(new TextEncoder().encode(payload))}.${toBase64Url(mac)}`;
      },
    };
    const fast = new TokenSigner(secret);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('confirm', 'unsubscribe', 'preferences', 'session' as const),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        fc.option(fc.stringMatching(/^[0-9a-z]{1,12}$/), { nil: undefined }),
        async (purpose, subscriberId, issuedAt, extra) => {
          const claims = { purpose, subscriberId, issuedAt, extra };
          const a = await web.sign(claims);
          expect(await fast.sign(claims)).toBe(a);
          expect(await fast.verify(a, purpose)).toEqual(claims);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses other purposes, other secrets, expired and malformed tokens', async () => {
    const signer = new TokenSigner(secret);
    const token = await signer.sign({ purpose: 'confirm', subscriberId: 7, issuedAt: 1_000 });
    expect(await signer.verify(token, 'unsubscribe')).toBeNull();
    expect(await new TokenSigner(`${secret}x`).verify(token, 'confirm')).toBeNull();
    expect(await signer.verify(token, 'confirm', { maxAgeSeconds: 60, nowSeconds: 1_061 })).toBeNull();
    expect(await signer.verify(token, 'confirm', { maxAgeSeconds: 60, nowSeconds: 1_059 })).not.toBeNull();
    for (const bad of ['', '.', 'a.b', `${token}x`, token.replace('.', '..'), 'x'.repeat(600)]) {
      expect(await signer.verify(bad, 'confirm')).toBeNull();
    }
  });
});

/** Every other base64url spelling of the same bytes: the last character's spare bits changed. */
function otherSpellings(part: string): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(part.at(-1)!);
  // Characters carrying 8·bytes mod 6 data bits: the rest of the 6 bits are ignored by atob.
  const spare = [0, 0, 4, 2][part.length % 4]!;
  const mask = (1 << spare) - 1;
  const out: string[] = [];
  for (let low = 0; low <= mask; low++) {
    const variant = (last & ~mask) | low;
    if (variant !== last) out.push(part.slice(0, -1) + alphabet[variant]);
  }
  return out;
}

describe('tokens have one spelling', () => {
  it('a reader token with its payload or MAC re-spelled (same bits) is refused', async () => {
    const signer = new TokenSigner(secret);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('confirm', 'unsubscribe', 'preferences', 'session' as const),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 32 }),
        async (purpose, subscriberId, issuedAt) => {
          const token = await signer.sign({ purpose, subscriberId, issuedAt });
          expect(await signer.verify(token, purpose)).not.toBeNull();
          const [payload, mac] = token.split('.') as [string, string];
          const variants = [...otherSpellings(payload).map((p) => `${p}.${mac}`), ...otherSpellings(mac).map((m) => `${payload}.${m}`)];
          // A 32-byte MAC always has spare bits, so there is always something to try.
          expect(variants.length).toBeGreaterThan(0);
          for (const v of variants) expect(await signer.verify(v, purpose)).toBeNull();
        },
      ),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe('TokenSigner.readerSigner (a send: one purpose, issue time and campaign for many readers)', () => {
  it('makes exactly the tokens sign makes, for any claims (fast-check)', async () => {
    const signer = new TokenSigner(secret);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('confirm', 'unsubscribe', 'preferences', 'session' as const),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.option(fc.oneof(fc.stringMatching(/^[0-9a-z]{1,12}$/), fc.string({ unit: 'grapheme', maxLength: 8 }).filter((s) => !s.includes(':'))), { nil: undefined }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(Number.MAX_SAFE_INTEGER), fc.constant(1)), { minLength: 1, maxLength: 5 }),
        async (purpose, issuedAt, extra, ids) => {
          const many = signer.readerSigner({ purpose, issuedAt, extra });
          // Several readers with one signer: nothing of one reader's payload may leak into the next.
          for (const subscriberId of ids) {
            const token = many(subscriberId);
            expect(token).toBe(await signer.sign({ purpose, subscriberId, issuedAt, extra }));
            expect(await signer.verify(token, purpose)).toEqual({ purpose, subscriberId, issuedAt, extra });
          }
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });

  it('refuses ids that are not positive safe integers', () => {
    const many = new TokenSigner(secret).readerSigner({ purpose: 'unsubscribe', issuedAt: 1, extra: '7' });
    for (const bad of [0, -1, 1.5, 2 ** 53, Number.NaN]) expect(() => many(bad)).toThrow();
  });
});

describe('verify with several purposes (the preferences page accepts an unsubscribe token)', () => {
  it('accepts a token of any listed purpose and reports its own purpose; refuses every other purpose and any forgery', async () => {
    const signer = new TokenSigner(secret);
    const accepted = ['preferences', 'unsubscribe'] as const;
    for (const purpose of tokenPurposesUnderTest) {
      const token = await signer.sign({ purpose, subscriberId: 42, issuedAt: 1_000, extra: purpose === 'unsubscribe' ? '9' : undefined });
      const claims = await signer.verify(token, accepted);
      if ((accepted as readonly string[]).includes(purpose)) expect(claims).toMatchObject({ purpose, subscriberId: 42 });
      else expect(claims).toBeNull();
      // Another secret's token of an accepted purpose is refused.
      expect(await new TokenSigner(`${secret}x`).verify(token, accepted)).toBeNull();
    }
  });
});

const tokenPurposesUnderTest = ['confirm', 'unsubscribe', 'preferences', 'session'] as const;
