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
 * checked for type and presence only, and are never stored or shown.
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

/**
 * The body's JSON. `skipBodies`: the html and text of the emails (the top-level object, or the
 * top-level array's objects) are left as read, for a server that keeps no bodies.
 */
export function parseJsonBody(raw: Buffer, skipBodies = false): ParsedBody {
  try {
    if (!isUtf8(raw) || hasHighEscape(raw)) return { ok: true, value: JSON.parse(raw.toString('utf8')) };
    const value: unknown = JSON.parse(raw.toString('latin1'));
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
