/**
 * The body of Resend's POST /emails/batch, built as bytes: exactly the bytes the `resend` SDK's
 * `batch.send` posts for the same messages (JSON.stringify of its API options, UTF-8 encoded by
 * fetch), which test/mailer/resend-batch-body.test.ts checks against the SDK on the wire.
 *
 * Why not let the SDK do it: a batch of 100 digests is about 2–3 MB of JSON, and stringifying it,
 * fetch's check of the string for lone surrogates and its UTF-8 encoding cost about 20 ms a batch,
 * most of a sender's CPU (BENCHMARKS.md). A campaign's HTML and text are the same for every reader
 * except a few values (`Pieced`), so their shared parts are JSON-escaped and encoded once per
 * campaign and copied into each body; only the reader's values are escaped per email, each
 * distinct one once (the tracking token recurs in every link).
 *
 * What a body costs is then the copying (about 40 parts and 40 values a digest) and whatever is
 * made per email: this writes every string straight into the buffer, with no JSON.stringify,
 * template string or array per email (they were most of the time and the garbage: issue 14).
 */
import { flatText, type MailText } from './mail-text';
import type { EmailMessage, EmailTag } from './mailer';

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
/** The last two looked up (a campaign's HTML and text), ahead of the WeakMap. */
let lastParts: [readonly string[] | undefined, EncodedParts | undefined, readonly string[] | undefined, EncodedParts | undefined] = [undefined, undefined, undefined, undefined];

function partsOf(parts: readonly string[]): EncodedParts {
  if (lastParts[0] === parts) return lastParts[1]!;
  if (lastParts[2] === parts) return lastParts[3]!;
  let found = encodedParts.get(parts);
  if (!found) {
    const bytes = parts.map((p) => encoder.encode(jsonInner(p)));
    found = { bytes, size: bytes.reduce((n, b) => n + b.length, 0), unsafe: parts.some(splitsPair) };
    encodedParts.set(parts, found);
  }
  lastParts = [parts, found, lastParts[0], lastParts[1]];
  return found;
}

/**
 * Writes text and bytes into one growing buffer: no intermediate strings or chunks, so a 3 MB
 * body costs about one copy of its bytes.
 */
class BodyWriter {
  buf: Uint8Array<ArrayBuffer>;
  at = 0;
  /**
   * The current email's values written so far (as JSON string contents) and where: a value seen
   * again is copied from there. Reset per email; arrays kept across emails and bodies.
   */
  private readonly seen: string[] = [];
  private readonly seenAt: number[] = [];
  private readonly seenLength: number[] = [];
  seenCount = 0;

  constructor(sizeHint: number, reuse?: Uint8Array<ArrayBuffer>) {
    this.buf = reuse && reuse.length >= sizeHint ? reuse : new Uint8Array(sizeHint);
  }

  /** ASCII punctuation and keys, as they are. */
  ascii(s: string): void {
    this.room(s.length);
    const { buf } = this;
    let at = this.at;
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** Any text, UTF-8 encoded. */
  text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.room(s.length * 3);
    const { buf } = this;
    const start = this.at;
    // Most of what is written per reader is ASCII (URLs, tokens, addresses): copied as it is,
    // without making a view for encodeInto each time (that dominated for small strings).
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

  /** A JSON string value, with its quotes (a non-string as JSON.stringify spells it). */
  json(value: unknown): void {
    if (typeof value !== 'string') return this.text(JSON.stringify(value));
    this.room(1);
    this.buf[this.at++] = 0x22;
    this.jsonInner(value);
    this.room(1);
    this.buf[this.at++] = 0x22;
  }

  /** A reader's value within a JSON string: escaped the first time in this email, copied after. */
  value(s: string): void {
    const { seen, seenCount } = this;
    for (let k = 0; k < seenCount; k++) {
      if (seen[k] === s) return this.repeat(this.seenAt[k]!, this.seenLength[k]!);
    }
    const at = this.at;
    this.jsonInner(s);
    seen[seenCount] = s;
    this.seenAt[seenCount] = at;
    this.seenLength[seenCount] = this.at - at;
    this.seenCount = seenCount + 1;
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
    // The last email's values are not kept alive by a spare buffer's writer.
    this.seen.length = 0;
    return this.buf.subarray(0, this.at);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }
}

/**
 * A JSON string value (with its quotes). Each hole's value is escaped the first time the text
 * uses it and copied from there after (`slotAt`, `slotLength`: this text's, by value index).
 */
function writeText(w: BodyWriter, t: MailText): void {
  if (typeof t === 'string') return w.json(t);
  const parts = partsOf(t.parts);
  if (parts.unsafe) return w.json(flatText(t));
  const start = w.at;
  const seenBefore = w.seenCount;
  const { values, holes } = t;
  const { bytes } = parts;
  for (let k = 0; k < values.length; k++) slotLength[k] = -1;
  w.ascii('"');
  w.bytes(bytes[0]!);
  for (let i = 1; i < bytes.length; i++) {
    const slot = holes === undefined ? i - 1 : holes[i - 1]!;
    const length = slotLength[slot]!;
    if (length >= 0) {
      w.repeat(slotAt[slot]!, length);
    } else {
      const value = values[slot]!;
      if (splitsPair(value)) {
        // Pieces would escape the halves of a pair the whole keeps: write the whole instead.
        w.at = start;
        w.seenCount = seenBefore;
        return w.json(flatText(t));
      }
      const at = w.at;
      w.value(value);
      slotAt[slot] = at;
      slotLength[slot] = w.at - at;
    }
    w.bytes(bytes[i]!);
  }
  w.ascii('"');
}

/** Scratch for writeText (bodies are written synchronously, one at a time). */
const slotAt: number[] = [];
const slotLength: number[] = [];

/**
 * A record of strings as JSON.stringify spells it: its own enumerable keys, in their order (for-in
 * visits own keys in that same order, before any inherited ones, without making an array). False,
 * with nothing kept, for anything else (undefined is left out, an object nested): the caller then
 * writes JSON.stringify's own.
 */
function writeStrings(w: BodyWriter, record: object): boolean {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return false;
  const values = record as Record<string, unknown>;
  let first = true;
  w.ascii('{');
  for (const key in values) {
    if (!Object.hasOwn(values, key)) continue;
    const value = values[key];
    if (typeof value !== 'string') return false;
    if (!first) w.ascii(',');
    first = false;
    w.json(key);
    w.ascii(':');
    w.json(value);
  }
  w.ascii('}');
  return true;
}

/** `headers`, a record of strings (writeStrings). */
function writeHeaders(w: BodyWriter, headers: Record<string, string>): void {
  const start = w.at;
  if (writeStrings(w, headers)) return;
  w.at = start;
  w.text(JSON.stringify(headers));
}

/** A tags array: records of strings (a campaign email's are { name, value }), else JSON's own. */
function writeTags(w: BodyWriter, tags: readonly EmailTag[]): void {
  const start = w.at;
  w.ascii('[');
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) w.ascii(',');
    if (!writeStrings(w, tags[i]!)) {
      w.at = start;
      return w.text(JSON.stringify(tags));
    }
  }
  w.ascii(']');
}

/**
 * One email as the SDK sends it: its API options (`parseEmailToApiOptions`) in the SDK's key
 * order, with the keys whose value is undefined left out, as JSON.stringify leaves them out.
 * Broadside sets none of the other options (attachments, cc, bcc, scheduled_at, template, topic_id).
 */
function writeEmail(w: BodyWriter, m: EmailMessage): void {
  w.seenCount = 0;
  w.ascii('{"from":');
  w.json(m.from);
  if (m.headers && hasKeys(m.headers)) {
    w.ascii(',"headers":');
    writeHeaders(w, m.headers);
  }
  w.ascii(',"html":');
  writeText(w, m.html);
  if (m.replyTo !== undefined) {
    w.ascii(',"reply_to":');
    w.json(m.replyTo);
  }
  w.ascii(',"subject":');
  w.json(m.subject);
  if (m.tags && m.tags.length > 0) {
    w.ascii(',"tags":');
    writeTags(w, m.tags);
  }
  w.ascii(',"text":');
  writeText(w, m.text);
  w.ascii(',"to":');
  w.json(m.to);
  w.ascii('}');
}

function hasKeys(o: object): boolean {
  for (const _ in o) if (Object.hasOwn(o, _)) return true;
  return false;
}

/** Room for the shared parts and a little for everything else, so the buffer rarely grows. */
function sizeHint(messages: EmailMessage[]): number {
  let n = 1024;
  for (const m of messages) n += textHint(m.html) + textHint(m.text) + 2048;
  return n;
}

const textHint = (t: MailText) => (typeof t === 'string' ? t.length * 3 : partsOf(t.parts).size + 256 * t.values.length);

/**
 * The body, written into `reuse` when it is large enough (a buffer from an earlier batch whose
 * request has finished), else into a new buffer. The result is a view of the buffer written.
 */
export function resendBatchBody(messages: EmailMessage[], reuse?: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const w = new BodyWriter(sizeHint(messages), reuse);
  w.ascii('[');
  for (let i = 0; i < messages.length; i++) {
    if (i > 0) w.ascii(',');
    writeEmail(w, messages[i]!);
  }
  w.ascii(']');
  return w.done();
}
