import { displayName } from '../../emails/_components/reader-name';

/**
 * `displayName(name)`, quicker for the names it returns unchanged, which are nearly all: the
 * personalisation fast path shows one name per email, and displayName's two regular expressions
 * (one with a lookbehind) and trim cost about 0.2–0.4 µs a reader on Node 20, where this scan of
 * a dozen characters costs a tenth of that. Any name with a character the scan does not know to
 * be kept (a control, a space other than one between two words, a surrogate, a rare space-like
 * code point) goes through displayName itself; test/emails/shown-name.test.ts checks the two
 * agree for arbitrary strings.
 */
export function shownName(name: string | null | undefined): string {
  return name && keptAsIs(name) ? name : displayName(name);
}

/** True when every character is one displayName keeps and no space is doubled or at an end. */
function keptAsIs(name: string): boolean {
  const last = name.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === last || name.charCodeAt(i - 1) === 0x20) return false;
    } else if (!ordinary(c)) return false;
  }
  return true;
}

/**
 * Code units that are no control (Cc), no whitespace (JavaScript's \s: U+0009–000D, U+0020,
 * U+00A0, U+1680, U+2000–200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), not U+200B and
 * no surrogate: the ranges between those, leaving out a few neighbours (U+2028–202F) for brevity.
 */
function ordinary(c: number): boolean {
  return (
    (c > 0x20 && c < 0x7f) ||
    (c > 0xa0 && c < 0x1680) ||
    (c > 0x1680 && c < 0x2000) ||
    (c > 0x200b && c < 0x2028) ||
    (c > 0x202f && c < 0x205f) ||
    (c > 0x205f && c < 0x3000) ||
    (c > 0x3000 && c < 0xd800) ||
    (c > 0xdfff && c !== 0xfeff)
  );
}
