import { topics as allTopics, type SubscriberStatus, type Topic } from '../../db/schema';
import { normaliseEmail } from '../email-address';
import { mailboxKey } from '../mailbox';
import type { ImportField, ImportMapping } from './formats';

/** One file row, checked and normalised, before it meets the database. */
export interface ImportRow {
  line: number;
  email: string;
  /** What "the same address twice in one file" compares: its mailbox (src/subscribers/mailbox.ts). */
  key: string;
  name: string | null;
  /** The status the row (or the file) states; undefined when it says nothing. */
  stated: SubscriberStatus | undefined;
  /** Only when the file has a topics column. */
  topics: Topic[] | undefined;
  tags: string[];
  consentAt: number | null;
  consentIp: string | null;
  consentUserAgent: string | null;
  consentSource: string | null;
  consentWording: string | null;
  confirmedAt: number | null;
  confirmIp: string | null;
  unsubscribedAt: number | null;
}

export type RowResult = { ok: true; row: ImportRow } | { ok: false; reason: string };

/** Status words of the tools Broadside imports from, and what they mean here. */
const statusWords: Record<string, SubscriberStatus> = {
  subscribed: 'active',
  active: 'active',
  enabled: 'active',
  confirmed: 'active',
  pending: 'pending',
  unconfirmed: 'pending',
  unsubscribed: 'unsubscribed',
  blocklisted: 'unsubscribed',
  blacklisted: 'unsubscribed',
  disabled: 'unsubscribed',
  cleaned: 'bounced',
  bounced: 'bounced',
  complained: 'complained',
  spam: 'complained',
};

export function statusFromWord(word: string): SubscriberStatus | undefined {
  return statusWords[word.trim().toLowerCase()];
}

const truthy = new Set(['true', 'yes', 'y', '1', 't']);
const falsy = new Set(['false', 'no', 'n', '0', 'f', '']);

const TAG_MAX = 20;
/** Tags as Broadside keeps them (1–40 of a-z, 0-9, - and _): "Paying member" becomes "paying-member". */
function tagOf(raw: string): string | null {
  if (/^[a-z0-9][a-z0-9_-]{0,39}$/.test(raw)) return raw;
  const t = raw
    .trim()
    .replace(/^"+|"+$/g, '')
    .trim()
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[-_]+/, '')
    .slice(0, 40);
  return t || null;
}

/** Times as the tools write them: ISO 8601, "2024-03-01 09:30:00" (UTC), or epoch ms/s. */
export function parseTime(raw: string): number | null | 'invalid' {
  const v = raw.trim();
  if (!v) return null;
  if (/^\d{10}$/.test(v)) return Number(v) * 1000;
  if (/^\d{13}$/.test(v)) return Number(v);
  const iso = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && /^\d{4}-/.test(v) ? ms : 'invalid';
}

const ipOf = (raw: string) => {
  const v = raw.trim();
  return v && v.length <= 45 && /^[0-9a-fA-F:.]+$/.test(v) ? v : null;
};

// Control characters, U+FFFD (what invalid UTF-8 becomes) and line breaks make a name unusable.
const badText = /[\u0000-\u001f\u007f\ufffd]/;

const clip = (v: string, max: number) => (v.length > max ? v.slice(0, max) : v);

/**
 * Checks and normalises one record under a mapping. `columns` maps header → index;
 * `declared` is a status for the whole file (?status=, or a Mailchimp unsubscribed/cleaned file).
 */
export function readRow(
  fields: string[],
  line: number,
  columns: Map<string, number>,
  mapping: ImportMapping,
  declared: SubscriberStatus | undefined,
): RowResult {
  const get = (field: ImportField): string => {
    const header = mapping[field];
    if (header === undefined) return '';
    const i = columns.get(header);
    // Broadside's export guards formula-like cells with an apostrophe (export-csv.ts); take it off.
    return i === undefined ? '' : (fields[i] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
  };
  const rawEmail = get('email');
  if (!rawEmail) return { ok: false, reason: 'no email address' };
  if (rawEmail.includes('\ufffd')) return { ok: false, reason: 'the address has characters that are not valid text (is the file UTF-8?)' };
  const email = normaliseEmail(rawEmail);
  if (!email) return { ok: false, reason: `"${clip(rawEmail, 80)}" is not a valid email address` };

  const name = get('name') || [get('firstName'), get('lastName')].filter(Boolean).join(' ');
  if (badText.test(name)) return { ok: false, reason: 'the name has line breaks or characters that are not valid text' };
  if (name.length > 100) return { ok: false, reason: 'the name is longer than 100 characters' };

  let stated = declared;
  if (!stated) {
    const word = get('status');
    if (word) {
      stated = statusFromWord(word);
      if (!stated) return { ok: false, reason: `unknown status "${clip(word, 40)}"` };
    }
  }
  for (const [field, leftWhen] of [['subscribed', false], ['emailDisabled', true]] as const) {
    if (!mapping[field] || declared) continue;
    const v = get(field).toLowerCase();
    if (!truthy.has(v) && !falsy.has(v)) return { ok: false, reason: `${mapping[field]} should be true or false, not "${clip(v, 20)}"` };
    if (truthy.has(v) === leftWhen) stated = 'unsubscribed';
    else stated ??= 'active';
  }

  let topicsOut: Topic[] | undefined;
  if (mapping.topics) {
    const list = get('topics').split(/[;,|]/).map((t) => t.trim().toLowerCase()).filter(Boolean);
    const unknown = list.find((t) => !(allTopics as readonly string[]).includes(t));
    if (unknown) return { ok: false, reason: `unknown topic "${clip(unknown, 40)}" (topics are ${allTopics.join(', ')})` };
    topicsOut = [...new Set(list)] as Topic[];
  }

  const tags = new Set<string>();
  for (const part of get('tags').split(/[,;|]/)) {
    const t = tagOf(part);
    if (t && tags.size < TAG_MAX) tags.add(t);
  }
  if (mapping.paid && truthy.has(get('paid').toLowerCase())) tags.add('paid');

  const times: Record<'consentAt' | 'confirmedAt' | 'unsubscribedAt', number | null> = { consentAt: null, confirmedAt: null, unsubscribedAt: null };
  for (const field of ['consentAt', 'confirmedAt', 'unsubscribedAt'] as const) {
    const t = parseTime(get(field));
    if (t === 'invalid') return { ok: false, reason: `${mapping[field]} "${clip(get(field), 40)}" is not a date` };
    times[field] = t;
  }
  const text = (field: ImportField, max: number) => {
    const v = get(field).replace(/[\u0000-\u001f\u007f]/g, ' ');
    return v ? clip(v, max) : null;
  };

  return {
    ok: true,
    row: {
      line,
      email,
      key: mailboxKey(email),
      name: name || null,
      stated,
      topics: topicsOut,
      tags: [...tags],
      ...times,
      consentIp: ipOf(get('consentIp')),
      consentUserAgent: text('consentUserAgent', 500),
      consentSource: text('consentSource', 2000),
      consentWording: text('consentWording', 100),
      confirmIp: ipOf(get('confirmIp')),
    },
  };
}
