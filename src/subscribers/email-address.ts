/**
 * Normalises a reader's address: trimmed, domain lower-cased (the local part is kept as typed,
 * since RFC 5321 lets servers treat it case-sensitively), Unicode NFC.
 * Returns null for anything that is not a single plausible address. Rejecting CR/LF, commas,
 * angle brackets and the like here is what makes header injection impossible later.
 */
export function normaliseEmail(input: string): string | null {
  // Only ordinary spaces are trimmed: an invisible character at either end is refused like one
  // inside, so what is stored is exactly what a person sees.
  const trimmed = input.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const value = printableAscii.test(trimmed) ? trimmed : input.normalize('NFC').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (unseenCharacter(value)) return null;
  if (value.length > 254 || value.length < 3) return null;
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64) return null;
  // Dot-atom local part (no quoted strings, no spaces or control characters).
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/.test(local)) {
    return null;
  }
  // Domain: labels of letters/digits/hyphens (IDN allowed), with a dot and a real TLD.
  const labels = domain.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (!label || label.length > 63) return null;
    if (!/^[a-z0-9\u0080-\uFFFF]([a-z0-9\u0080-\uFFFF-]*[a-z0-9\u0080-\uFFFF])?$/.test(label)) return null;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return `${local}@${domain}`;
}

/**
 * Characters a person cannot see, or sees as something they are not: controls (C0, C1 with U+0085),
 * format characters (the bidi overrides and isolates U+202A–202E and U+2066–2069, the marks
 * U+200E/200F, zero-width U+200B–200D, U+2060, U+FEFF, the soft hyphen), line and paragraph
 * separators and other spaces, private-use, unassigned and lone surrogate code points, U+FFFD
 * (what invalid UTF-8 decodes to), and anything whose compatibility form is "@" or "." (the
 * full-width ＠ U+FF20, the small ﹫ U+FE6B, the ideographic full stop that IDNA reads as a dot).
 * An address with one of these displays as another address (U+202E reverses it on screen) or
 * hides a second one, so it is refused with a message saying why.
 */
/** Space to tilde only: already NFC, and nothing unseen (an import checks every row of a file). */
const printableAscii = /^[\x20-\x7e]*$/;

const UNSEEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Z}\uFFFD\u3002\uFF61]/u;

/** A description of the first unseen character in `value` (e.g. "U+202E"), or null when there is none. */
export function unseenCharacter(value: string): string | null {
  // Printable ASCII holds none of them (the space is allowed): the common case, checked at once.
  if (printableAscii.test(value)) return null;
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x20) continue;
    const lookalike = cp > 0x7f && /[@.]/.test(ch.normalize('NFKC'));
    if (lookalike || UNSEEN.test(ch)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return null;
}
