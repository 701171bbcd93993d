import { AppError } from '../../errors';

/**
 * Turns an uploaded file's bytes into UTF-8 bytes for the CSV parser, deciding the encoding from
 * the first block: a UTF-16 byte-order mark (Excel's "Unicode text"), UTF-8 (with or without a
 * BOM), or else Windows-1252/Latin-1, which is what Excel on Windows writes as "CSV". Files that
 * are not text at all (spreadsheets, zip, PDF, anything with NUL bytes) are refused with a
 * message that says what to do.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const HEAD_BYTES = 64 * 1024;

// Windows-1252 differs from Latin-1 only in 0x80–0x9F; undefined slots map to themselves.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

function refuseIfNotText(head: Uint8Array) {
  const starts = (...sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) {
    throw new AppError('bad_request', 'This is a spreadsheet or zip file, not CSV. Save or export it as CSV (UTF-8) and upload that.');
  }
  if (starts(0x25, 0x50, 0x44, 0x46)) throw new AppError('bad_request', 'This is a PDF, not a CSV file.');
  if (head.includes(0)) throw new AppError('bad_request', 'This file is not CSV text (it contains binary data).');
}

export function sniffEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  refuseIfNotText(head);
  try {
    // stream: true, so a character cut at the end of the block is not counted as an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/**
 * A byte stream re-encoded as UTF-8, with the encoding it was read in. Invalid UTF-8 later in a
 * file that started valid becomes U+FFFD, which the row checks refuse line by line.
 */
export async function toUtf8(input: ReadableStream<Uint8Array>): Promise<{ encoding: TextEncoding; stream: ReadableStream<Uint8Array> }> {
  const reader = input.getReader();
  const held: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < HEAD_BYTES) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    held.push(value);
    size += value.length;
  }
  const head = concat(held);
  if (!head.length) throw new AppError('bad_request', 'The file is empty.');
  const encoding = sniffEncoding(head);
  const encoder = new TextEncoder();
  const utf16 = encoding === 'utf-16le' || encoding === 'utf-16be' ? new TextDecoder(encoding) : null;
  const convert = (chunk: Uint8Array, last: boolean): Uint8Array => {
    if (encoding === 'utf-8') return chunk;
    if (utf16) {
      const text = utf16.decode(chunk, { stream: !last });
      if (text.includes('\u0000')) throw new AppError('bad_request', 'This file is not CSV text (it contains binary data).');
      return encoder.encode(text);
    }
    return encoder.encode(decodeCp1252(chunk));
  };
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) {
        first = false;
        controller.enqueue(convert(head, ended));
        if (ended) controller.close();
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        if (utf16) controller.enqueue(convert(new Uint8Array(0), true));
        controller.close();
        return;
      }
      controller.enqueue(convert(value, false));
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { encoding, stream };
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
