import fc from 'fast-check';
import { expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../src/base64url';

it("spells bytes exactly as Node's base64url does, and reads them back (fast-check)", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), (bytes) => {
      const s = toBase64Url(bytes);
      expect(s).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(s)).toEqual(new Uint8Array(bytes));
    }),
    { numRuns: 1000, seed: 14 },
  );
});
