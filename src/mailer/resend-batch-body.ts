/**
 * The body of Resend's POST /emails/batch, built as bytes: exactly the bytes the `resend` SDK's
 * `batch.send` posts for the same messages (JSON.stringify of its API options, UTF-8 encoded by
 * fetch), which test/mailer/resend-batch-body.test.ts checks against the SDK on the wire.
 *
 * Why not let the SDK do it: a batch of 100 digests is about 3 MB of JSON, and stringifying it,
 * fetch's check of the string for lone surrogates and its UTF-8 encoding cost about 20 ms a batch,
 * most of a sender's CPU (BENCHMARKS.md). A campaign's HTML and text are the same for every reader
 * except a few values (`Pieced`), so their shared parts are JSON-escaped and encoded once per
 * campaign and copied into each body; only the reader's values are escaped per email.
 */
import { flatText, type MailText, type Pieced } from './mail-text';
import type { EmailMessage } from './mailer';

const encoder = new TextEncoder();

/** A string's JSON spelling without its quotes (well-formed: lone surrogates become \uXXXX). */
const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * JSON-escaping piece by piece equals escaping the whole unless a surrogate pair is split between
 * two pieces (the whole would keep the pair, the pieces would escape two lone halves).
 */
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const splitsPair = (s: string) => s.length > 0 && (isLow(s.charCodeAt(0)) || isHigh(s.charCodeAt(s.length - 1)));

interface EncodedParts {
  bytes: Uint8Array[];
  /** Their total length in bytes. */
  size: number;
  /** Some part begins or ends with half a surrogate pair: encode the whole text instead. */
  unsafe: boolean;
}

/** The shared parts of a campaign's texts, encoded once (keyed by the parts array itself). */
const encodedParts = new WeakMap<readonly string[], EncodedParts>();

function partsOf(parts: readonly string[]): EncodedParts {
  let found = encodedParts.get(parts);
  if (!found) {
    const bytes = parts.map((p) => encoder.encode(jsonInner(p)));
    found = { bytes, size: bytes.reduce((n, b) => n + b.length, 0), unsafe: parts.some(splitsPair) };
    encodedParts.set(parts, found);
  }
  return found;
}

/**
 * Writes text and bytes into one growing buffer: no intermediate strings or chunks, so a 3 MB
 * body costs about one copy of its bytes.
 */
class BodyWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private at = 0;

  constructor(sizeHint: number, reuse?: Uint8Array<ArrayBuffer>) {
    this.buf = reuse && reuse.length >= sizeHint ? reuse : new Uint8Array(sizeHint);
  }

  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.room(s.length * 3);
    const { buf } = this;
    const start = this.at;
    // Most of what is written per reader is ASCII (JSON punctuation, URLs, tokens): copied as it
    // is, without making a view for encodeInto each time (that dominated for small strings).
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = start + encoder.encodeInto(s, buf.subarray(start)).written;
        return;
      }
      buf[start + i] = c;
    }
    this.at = start + s.length;
  }

  /**
   * A string's JSON spelling without its quotes. Most values (URLs, tokens) need no escaping and
   * are ASCII: checked and copied in one pass; anything else is escaped by JSON.stringify.
   */
  jsonInner(s: string): void {
    this.room(s.length);
    const { buf } = this;
    const start = this.at;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c >= 0x80) return this.text(jsonInner(s));
      buf[start + i] = c;
    }
    this.at = start + s.length;
  }

  /** Where the next byte goes. */
  get position(): number {
    return this.at;
  }

  /** Writes again the `length` bytes written from `from` on. */
  repeat(from: number, length: number): void {
    this.room(length);
    this.buf.copyWithin(this.at, from, from + length);
    this.at += length;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  done(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.at);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }
}

/** A JSON string value (with its quotes). */
function writeText(w: BodyWriter, t: MailText): void {
  if (typeof t === 'string') return w.text(JSON.stringify(t));
  const parts = partsOf(t.parts);
  if (parts.unsafe || t.values.some(splitsPair)) return w.text(JSON.stringify(flatText(t)));
  w.text('"');
  writePieces(w, t, parts);
  w.text('"');
}

/**
 * A reader's few values recur through the email (the tracking token in every link, the name):
 * each distinct one is escaped once, and copied from where it was first written after that.
 */
function writePieces(w: BodyWriter, t: Pieced, parts: EncodedParts): void {
  const seen: string[] = [];
  const seenAt: number[] = [];
  const seenLength: number[] = [];
  w.bytes(parts.bytes[0]!);
  for (let i = 0; i < t.values.length; i++) {
    const value = t.values[i]!;
    const k = seen.indexOf(value);
    if (k >= 0) {
      w.repeat(seenAt[k]!, seenLength[k]!);
    } else {
      const at = w.position;
      w.jsonInner(value);
      seen.push(value);
      seenAt.push(at);
      seenLength.push(w.position - at);
    }
    w.bytes(parts.bytes[i + 1]!);
  }
}

/**
 * One email as the SDK sends it: its API options (`parseEmailToApiOptions`) in the SDK's key
 * order, with the keys whose value is undefined left out, as JSON.stringify leaves them out.
 * Broadside sets none of the other options (attachments, cc, bcc, scheduled_at, template, topic_id).
 */
function writeEmail(w: BodyWriter, m: EmailMessage): void {
  const headers = m.headers && Object.keys(m.headers).length > 0 ? m.headers : undefined;
  const tags = m.tags && m.tags.length > 0 ? m.tags : undefined;
  w.text(`{"from":${JSON.stringify(m.from)}`);
  if (headers) w.text(`,"headers":${JSON.stringify(headers)}`);
  w.text(',"html":');
  writeText(w, m.html);
  if (m.replyTo !== undefined) w.text(`,"reply_to":${JSON.stringify(m.replyTo)}`);
  w.text(`,"subject":${JSON.stringify(m.subject)}`);
  if (tags) w.text(`,"tags":${JSON.stringify(tags)}`);
  w.text(',"text":');
  writeText(w, m.text);
  w.text(`,"to":${JSON.stringify(m.to)}}`);
}

/** Room for the shared parts and a little for everything else, so the buffer rarely grows. */
function sizeHint(messages: EmailMessage[]): number {
  let n = 1024;
  for (const m of messages) {
    for (const t of [m.html, m.text]) n += typeof t === 'string' ? t.length * 3 : partsOf(t.parts).size + 256 * t.values.length;
    n += 2048;
  }
  return n;
}

/**
 * The body, written into `reuse` when it is large enough (a buffer from an earlier batch whose
 * request has finished), else into a new buffer. The result is a view of the buffer written.
 */
export function resendBatchBody(messages: EmailMessage[], reuse?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const w = new BodyWriter(sizeHint(messages), reuse);
  w.text('[');
  messages.forEach((m, i) => {
    if (i > 0) w.text(',');
    writeEmail(w, m);
  });
  w.text(']');
  return w.done();
}
