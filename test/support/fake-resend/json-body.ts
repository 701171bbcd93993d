/**
 * A request body read as JSON, cheaply enough for benchmarks at 50 requests/s of 2–3 MB batches.
 *
 * Decoding a batch from UTF-8 was half of this server's CPU (BENCHMARKS.md, issue 14): a digest
 * holds a few non-ASCII characters (typographic quotes, the preheader's zero-width characters),
 * and one of them sends V8 down its slow decoder for the whole 2 MB, about 10 ms, before
 * JSON.parse. Every byte of JSON's structure is ASCII, so the body is instead read as Latin-1
 * (one character per byte, no decoding), parsed, and only the strings holding bytes ≥ 0x80 are
 * decoded from UTF-8 afterwards: the same values as decoding first, for any body that is valid
 * UTF-8 and has no `\u` escape of a character from U+0080 up (a later decode would misread it).
 * Any other body takes the plain path, so the answer never depends on which path ran.
 *
 * When the server keeps no bodies, the emails' html and text are not decoded: they stay as read,
 * checked for type and presence only, and are never stored or shown. Then the body is not even
 * scanned first: it is parsed as Latin-1 at once, and if every other string and every key came
 * out ASCII, that is already what decoding first gives (see `asciiBesideBodies`); only otherwise
 * are the checks above made (and the plain path taken if they fail) before decoding, without
 * parsing again when they pass. A benchmark's body is a few ASCII fields beside 100 large html
 * and text values, so the checks of the whole body's bytes (isUtf8, the `\u` scan) are skipped.
 */
import { isUtf8 } from 'node:buffer';

export type ParsedBody = { ok: true; value: unknown } | { ok: false };

const ESCAPE = Buffer.from('\\u');
const HIGH = /[\x80-\xff]/;
const ZERO = 0x30;
const SEVEN = 0x37;

/**
 * Whether `raw` has a `\uXXXX` escape for a character from U+0080 up (a lone surrogate is the one
 * JSON.stringify makes): after the parse such a character sits beside Latin-1 ones, and a
 * re-decode of that string would mangle it. A false alarm (`\\u00e9`, an escaped backslash)
 * only costs the plain path.
 */
function hasHighEscape(raw: Buffer): boolean {
  for (let at = raw.indexOf(ESCAPE); at !== -1; at = raw.indexOf(ESCAPE, at + 1)) {
    if (raw[at + 2] !== ZERO || raw[at + 3] !== ZERO || !(raw[at + 4]! >= ZERO && raw[at + 4]! <= SEVEN)) return true;
  }
  return false;
}

/** Decodes, in place, the strings read as Latin-1 that hold UTF-8 sequences; not `skip`'s keys at this level. */
function decodeStrings(value: unknown, skip?: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return HIGH.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeStrings(value[i]);
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (skip?.has(key) && typeof record[key] === 'string') continue;
      const decodedKey = HIGH.test(key) ? Buffer.from(key, 'latin1').toString('utf8') : key;
      const v = decodeStrings(record[key]);
      if (decodedKey !== key) delete record[key];
      record[decodedKey] = v;
    }
  }
  return value;
}

const BODIES = new Set(['html', 'text']);
const NOT_ASCII = /[^\x00-\x7f]/;

/** Whether every string and key in `value` is ASCII. */
function ascii(value: unknown): boolean {
  if (typeof value === 'string') return !NOT_ASCII.test(value);
  if (Array.isArray(value)) return value.every(ascii);
  if (typeof value === 'object' && value !== null) {
    for (const key in value) if (NOT_ASCII.test(key) || !ascii((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Whether a body parsed as Latin-1 holds only ASCII outside the emails' html and text strings
 * (the top-level object's, or the top-level array's objects'). Such a string or key was, in the
 * bytes, ASCII bytes and escapes of ASCII characters: a byte from 0x80 up reads as a character
 * from U+0080 up, and so does any escape of one. Read as UTF-8 they are the same characters, so
 * the value equals what decoding first would have parsed, but for the html and text left as read.
 */
function asciiBesideBodies(value: unknown): boolean {
  const email = (item: unknown): boolean => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return ascii(item);
    for (const key in item) {
      const v = (item as Record<string, unknown>)[key];
      if (NOT_ASCII.test(key)) return false;
      if (!(BODIES.has(key) && typeof v === 'string') && !ascii(v)) return false;
    }
    return true;
  };
  return Array.isArray(value) ? value.every(email) : email(value);
}

/**
 * The body's JSON. `skipBodies`: the html and text of the emails (the top-level object, or the
 * top-level array's objects) are left as read, for a server that keeps no bodies.
 */
export function parseJsonBody(raw: Buffer, skipBodies = false): ParsedBody {
  // Without bodies to keep, the body is parsed before (and usually instead of) the byte checks.
  const checkFirst = !skipBodies;
  if (checkFirst && !decodable(raw)) return plainParse(raw);
  // Parsing fails the same way decoded: JSON's structure is ASCII, and a byte from 0x80 up is a
  // character allowed in a string, or out of place in either reading. (The walks below recurse:
  // a body nested deeper than the stack allows is refused as JSON.parse would refuse it.)
  try {
    const value: unknown = JSON.parse(raw.toString('latin1'));
    if (skipBodies && asciiBesideBodies(value)) return { ok: true, value };
    if (!checkFirst && !decodable(raw)) return plainParse(raw);
    const skip = skipBodies ? BODIES : undefined;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = decodeStrings(value[i], skip);
      return { ok: true, value };
    }
    return { ok: true, value: decodeStrings(value, skip) };
  } catch {
    return { ok: false };
  }
}

/** Whether strings read as Latin-1 from `raw` can be decoded afterwards (see the module's comment). */
const decodable = (raw: Buffer) => isUtf8(raw) && !hasHighEscape(raw);

function plainParse(raw: Buffer): ParsedBody {
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}
