/**
 * Request-shape checks of POST /emails and POST /emails/batch, after Resend's OpenAPI schema
 * (SendEmailRequest) and its documented limits. Broadside's bugs should fail here as they would
 * against Resend, so the rules are strict where Resend is strict.
 */
import { apiError, type ApiError } from './errors';

export const MAX_RECIPIENTS = 50;
export const MAX_BATCH = 100;
export const MAX_IDEMPOTENCY_KEY = 256;

/** An email body after validation, with every address list as an array. */
export interface ParsedEmail {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  scheduledAt?: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError };

const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
/** `Name <address>` or a bare address. */
const MAILBOX = /^(?:[^<>]*<([^<>]+)>|([^<>]+))$/;

const invalid = (message: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: apiError(422, 'validation_error', message),
});
const missing = (field: string): { ok: false; error: ApiError } => ({
  ok: false,
  error: apiError(422, 'missing_required_field', `Missing \`${field}\` field.`),
});

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isMailbox(value: string): boolean {
  const m = MAILBOX.exec(value.trim());
  const address = m?.[1] ?? m?.[2];
  return address !== undefined && ADDRESS.test(address.trim());
}

function addressList(field: string, value: unknown, max?: number): Checked<string[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
    return invalid(`The \`${field}\` field must be a string or an array of strings.`);
  }
  if (max !== undefined && list.length > max) {
    return invalid(`Invalid \`${field}\` field. The maximum number of recipients is ${max}.`);
  }
  const bad = list.find((v) => !isMailbox(v));
  if (bad !== undefined) {
    return invalid(`Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`);
  }
  return { ok: true, value: list };
}

function checkTags(value: unknown): Checked<{ name: string; value: string }[]> {
  if (value === undefined || value === null) return { ok: true, value: [] };
  if (!Array.isArray(value)) return invalid('The `tags` field must be an array.');
  for (const tag of value) {
    if (!isRecord(tag) || typeof tag.name !== 'string' || typeof tag.value !== 'string') {
      return invalid('Each tag needs a `name` and a `value` string.');
    }
    if (!TAG_PART.test(tag.name) || !TAG_PART.test(tag.value)) {
      return invalid('Tags should only contain ASCII letters, numbers, underscores, or dashes, at most 256 characters.');
    }
  }
  return { ok: true, value: value.map((t: { name: string; value: string }) => ({ name: t.name, value: t.value })) };
}

function checkHeaders(value: unknown): Checked<Record<string, string>> {
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    return invalid('The `headers` field must be an object of string values.');
  }
  const bad = Object.entries(value).find(([k, v]) => /[\r\n:]/.test(k) || /[\r\n]/.test(v as string));
  if (bad) return invalid(`Invalid header \`${bad[0]}\`.`);
  return { ok: true, value: value as Record<string, string> };
}

/** Checks one email; `inBatch` applies the batch endpoint's extra limits. */
export function checkEmail(body: unknown, inBatch: boolean): Checked<ParsedEmail> {
  if (!isRecord(body)) return invalid('The request body must be a JSON object.');
  if (body.from === undefined) return missing('from');
  if (typeof body.from !== 'string' || !isMailbox(body.from)) {
    return invalid('Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.');
  }
  if (body.to === undefined) return missing('to');
  const to = addressList('to', body.to, MAX_RECIPIENTS);
  if (!to.ok) return to;
  if (to.value.length === 0) return invalid('The `to` field must hold at least one address.');
  if (body.subject === undefined) return missing('subject');
  if (typeof body.subject !== 'string') return invalid('The `subject` field must be a string.');
  if (body.template !== undefined) return invalid('This fake server does not support templates.');
  const html = body.html;
  const text = body.text;
  if ((html !== undefined && typeof html !== 'string') || (text !== undefined && typeof text !== 'string')) {
    return invalid('The `html` and `text` fields must be strings.');
  }
  if (!html && !text) return missing('html` or `text');
  if (inBatch && body.attachments !== undefined) return invalid('Attachments are not supported with the batch endpoint.');
  if (inBatch && body.scheduled_at !== undefined) return invalid('`scheduled_at` is not supported with the batch endpoint.');
  if (body.scheduled_at !== undefined && typeof body.scheduled_at !== 'string') {
    return invalid('The `scheduled_at` field must be an ISO 8601 string.');
  }
  const cc = addressList('cc', body.cc);
  if (!cc.ok) return cc;
  const bcc = addressList('bcc', body.bcc);
  if (!bcc.ok) return bcc;
  const replyTo = addressList('reply_to', body.reply_to);
  if (!replyTo.ok) return replyTo;
  const headers = checkHeaders(body.headers);
  if (!headers.ok) return headers;
  const tags = checkTags(body.tags);
  if (!tags.ok) return tags;
  return {
    ok: true,
    value: {
      from: body.from,
      to: to.value,
      cc: cc.value,
      bcc: bcc.value,
      replyTo: replyTo.value,
      subject: body.subject,
      html: html as string | undefined,
      text: text as string | undefined,
      headers: headers.value,
      tags: tags.value,
      scheduledAt: body.scheduled_at as string | undefined,
    },
  };
}

export interface BatchResult {
  emails: ParsedEmail[];
  /** Only in permissive mode: the rejected emails, by index, while the rest are sent. */
  errors: { index: number; message: string }[];
}

/**
 * Checks a batch. In `strict` mode (the SDK's default `x-batch-validation`) one bad email refuses
 * the whole batch; in `permissive` mode the bad ones are reported and the rest are sent.
 */
export function checkBatch(body: unknown, mode: 'strict' | 'permissive'): Checked<BatchResult> {
  if (!Array.isArray(body)) return invalid('The request body must be an array of emails.');
  if (body.length === 0) return invalid('The batch must hold at least one email.');
  if (body.length > MAX_BATCH) {
    return invalid(`Too many emails in the batch: the maximum is ${MAX_BATCH}, got ${body.length}.`);
  }
  const emails: ParsedEmail[] = [];
  const errors: { index: number; message: string }[] = [];
  for (const [index, item] of body.entries()) {
    const checked = checkEmail(item, true);
    if (checked.ok) {
      emails.push(checked.value);
    } else if (mode === 'strict') {
      return { ok: false, error: { ...checked.error, message: `emails[${index}]: ${checked.error.message}` } };
    } else {
      errors.push({ index, message: checked.error.message });
    }
  }
  return { ok: true, value: { emails, errors } };
}

/** Resend's rule for the Idempotency-Key header: 1 to 256 characters. */
export function checkIdempotencyKey(key: string | undefined): ApiError | undefined {
  if (key === undefined) return undefined;
  if (key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY) {
    return apiError(400, 'invalid_idempotency_key', `The key must be between 1-${MAX_IDEMPOTENCY_KEY} chars.`);
  }
  return undefined;
}
