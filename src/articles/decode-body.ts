export type DecodedBody = { ok: true; text: string; encoding: string } | { ok: false; error: string };

const boms: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/**
 * Turns a feed's bytes into text. The encoding comes from a byte-order mark, else the
 * Content-Type charset, else the XML declaration (`<?xml … encoding="ISO-8859-1"?>`), else UTF-8.
 * Servers often label everything UTF-8: when bytes said to be UTF-8 are not, the XML
 * declaration gets the last word.
 */
export function decodeFeedBody(bytes: Uint8Array, contentType: string | null): DecodedBody {
  const bom = boms.find((b) => b.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) return decode(bytes, bom.encoding, false);

  const fromHeader = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  const fromDeclaration = xmlDeclaredEncoding(bytes);
  const chosen = fromHeader ?? fromDeclaration ?? 'utf-8';
  if (!isUtf8(chosen)) return decode(bytes, chosen, false);

  const strict = decode(bytes, chosen, true);
  if (strict.ok) return strict;
  if (fromDeclaration && !isUtf8(fromDeclaration)) return decode(bytes, fromDeclaration, false);
  // Mostly UTF-8 with a few bad bytes: keep the text, with U+FFFD where the bytes were.
  return decode(bytes, 'utf-8', false);
}

function decode(bytes: Uint8Array, label: string, fatal: boolean): DecodedBody {
  let decoder: TextDecoder;
  try {
    // ignoreBOM: false (the default) drops the byte-order mark from the text.
    decoder = new TextDecoder(label, { fatal });
  } catch {
    return { ok: false, error: `the feed uses a character encoding Broadside cannot read: "${label}"` };
  }
  try {
    let text = decoder.decode(bytes);
    if (decoder.encoding === 'windows-1252') text = fixWindows1252(text);
    return { ok: true, text, encoding: decoder.encoding };
  } catch {
    return { ok: false, error: `the feed is not valid ${label}` };
  }
}

const isUtf8 = (label: string) => /^utf-?8$/i.test(label.trim());

/** The encoding named in the XML declaration; the declaration itself is ASCII in every encoding we read. */
function xmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1];
}

// Bytes 0x80–0x9F in windows-1252 (which is also what the labels "iso-8859-1" and "latin1" mean
// on the web). Positions the code page leaves undefined stay as they are.
const windows1252High =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node 20's TextDecoder says "windows-1252" but decodes ISO-8859-1, turning curly quotes and
 * dashes into invisible C1 control characters. Text feeds never contain those, so map them.
 */
function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => windows1252High[c.charCodeAt(0) - 0x80] ?? c);
}
