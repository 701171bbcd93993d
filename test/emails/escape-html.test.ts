import fc from 'fast-check';
import { expect, it } from 'vitest';
import { escapeHtml } from '../../src/emails/escape-html';

/** React's five entities, as the renderer writes them: the reference the fast path must match. */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const reference = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

it('escapes exactly as React does, for any text (fast-check)', () => {
  for (const s of ['', 'Ada', '&', 'Sam <&> "Q"', "O'Brien & Co", '&amp;', '<<>>', 'a&b&c', '王芳 & 👩🏽‍💻', '\u0026\u003c\u003e\u0022\u0027?@=;', 'https://example.org/?a=1&b=2'])
    expect(escapeHtml(s)).toBe(reference(s));
  const awkward = fc.array(fc.constantFrom('&', '<', '>', '"', "'", '=', '?', '>', ';', 'a', ' ', 'é', '王', '\ud83d\ude00', '\ud800'), { maxLength: 30 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(fc.oneof(awkward, fc.string({ unit: 'binary', maxLength: 40 })), (s) => {
      expect(escapeHtml(s)).toBe(reference(s));
    }),
    { numRuns: 5000 },
  );
});
