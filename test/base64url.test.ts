import fc from 'fast-check';
import { expect, it } from 'vitest';
import { base64UrlCodes, fromBase64Url, textToBase64Url, toBase64Url } from '../src/base64url';

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

it('spells a text as the base64url of its UTF-8 bytes, ASCII or not (fast-check)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 })), (text) => {
      expect(textToBase64Url(text)).toBe(Buffer.from(new TextEncoder().encode(text)).toString('base64url'));
    }),
    { numRuns: 1000, seed: 14 },
  );
});

it('spells only the first `end` bytes when given (a buffer reused across readers)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(), (bytes, cut) => {
      const end = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
      expect(toBase64Url(bytes, end)).toBe(Buffer.from(bytes.subarray(0, end)).toString('base64url'));
    }),
    { numRuns: 500, seed: 14 },
  );
});

it('writes the same spelling as character codes after what a reused buffer already holds', () => {
  const codes: number[] = [];
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 70 }), fc.nat(), fc.nat(), fc.string({ maxLength: 8 }), (bytes, a, b, head) => {
      const [start, end] = [a % (bytes.length + 1), b % (bytes.length + 1)].sort((x, y) => x - y) as [number, number];
      for (let i = 0; i < head.length; i++) codes[i] = head.charCodeAt(i);
      codes.length = base64UrlCodes(codes, head.length, bytes, end, start);
      expect(String.fromCharCode(...codes)).toBe(head + Buffer.from(bytes.subarray(start, end)).toString('base64url'));
    }),
    { numRuns: 1000, seed: 14 },
  );
});
