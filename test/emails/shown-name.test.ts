import fc from 'fast-check';
import { expect, it } from 'vitest';
import { displayName } from '../../emails/_components/reader-name';
import { shownName } from '../../src/emails/shown-name';

/** Every code unit displayName treats specially, and their neighbours. */
const edges = [
  0x00, 0x08, 0x09, 0x0a, 0x0d, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x9f, 0xa0, 0xa1, 0x167f, 0x1680, 0x1681, 0x1fff,
  0x2000, 0x200a, 0x200b, 0x200c, 0x2019, 0x2027, 0x2028, 0x2029, 0x202a, 0x202f, 0x2030, 0x205e, 0x205f, 0x2060,
  0x2fff, 0x3000, 0x3001, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfefe, 0xfeff, 0xff00, 0xfffd, 0xffff,
];
const edgy = fc.array(fc.oneof(fc.constantFrom(...edges), fc.constantFrom(0x20, 0x41, 0x3b1, 0x738b)), { maxLength: 12 }).map((units) => String.fromCharCode(...units));

it('shows every name exactly as displayName does (fast-check)', () => {
  for (const name of [undefined, null, '', ' ', 'Ada', ' Ada', 'Ada ', 'Ada  Lovelace', 'Ada Lovelace', 'Zoë O’Brien', '王芳', '👩🏽‍💻 Ada', 'a\u200bb', 'a\u00a0b', 'lone \ud800'])
    expect(shownName(name)).toBe(displayName(name));
  fc.assert(
    fc.property(fc.oneof(edgy, fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (name) => {
      expect(shownName(name)).toBe(displayName(name));
    }),
    { numRuns: 5000 },
  );
});
