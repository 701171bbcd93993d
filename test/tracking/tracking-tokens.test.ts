import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newTrackingKey, TrackingSigner } from '../../src/tracking/tracking-tokens';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('tracking tokens have one spelling', () => {
  it('the 15 other spellings of a 16-byte MAC (same bits, different last character) are refused', async () => {
    const signer = await TrackingSigner.fromKey(newTrackingKey());
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('link', 'reader' as const),
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        async (kind, campaignId, value) => {
          const token = await signer.sign(kind, { campaignId, value });
          expect(await signer.verify(kind, token)).toEqual({ campaignId, value });
          const last = alphabet.indexOf(token.at(-1)!);
          let tried = 0;
          // 22 characters hold 132 bits for 128: the last character's low 4 bits are spare.
          for (let low = 0; low < 16; low++) {
            const variant = (last & ~15) | low;
            if (variant === last) continue;
            tried++;
            expect(await signer.verify(kind, token.slice(0, -1) + alphabet[variant])).toBeNull();
          }
          expect(tried).toBe(15);
        },
      ),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe('TrackingSigner.readerSigner (one per campaign, one token per reader)', () => {
  it("makes exactly sign('reader')'s tokens, which verify as reader tokens and never as link tokens (fast-check)", async () => {
    const signer = await TrackingSigner.fromKey(newTrackingKey());
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 40 }),
        // Tracking tokens carry ids of up to 15 digits (TOKEN in tracking-tokens.ts).
        fc.array(fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }), fc.constant(999_999_999_999_999), fc.constant(1)), { minLength: 1, maxLength: 5 }),
        async (campaignId, ids) => {
          const many = signer.readerSigner(campaignId);
          for (const value of ids) {
            const token = many(value);
            expect(token).toBe(await signer.sign('reader', { campaignId, value }));
            expect(await signer.verify('reader', token)).toEqual({ campaignId, value });
            expect(await signer.verify('link', token)).toBeNull();
          }
        },
      ),
      { numRuns: 100, seed: 5 },
    );
  });
});
