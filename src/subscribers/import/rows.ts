import type { SubscriberStatus } from '../../db/schema';
import { topics as allTopics, type Topic } from '../../db/schema/topics';
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
const plainTag = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** Tags as Broadside keeps them (1–40 of a-z, 0-9, - and _): "Paying member" becomes "paying-member". */
function tagOf(raw: string): string | null {
  if (plainTag.test(raw)) return raw;
  // Mailchimp quotes each tag ("donor","local"): the quotes and spaces off, most tags are plain.
  const bare = raw.trim().replace(/^"+|"+$/g, '').trim();
  if (plainTag.test(bare)) return bare;
  const t = bare
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
const dateTime = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

export function parseTime(raw: string): number | null | 'invalid' {
  const v = raw.trim();
  if (!v) return null;
  // Mailchimp's "2024-03-01 09:30:00" without Date.parse (an import reads two per row). Within
  // these ranges Date.UTC gives what Date.parse gives (both roll 02-30 over); the rest goes below.
  const m = dateTime.exec(v);
  if (m) {
    const [y, mo, d, h, mi, sec] = [+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && sec < 60) return Date.UTC(y, mo - 1, d, h, mi, sec);
  }
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

type FieldColumns = Partial<Record<ImportField, number>>;
const columnCache = new WeakMap<Map<string, number>, WeakMap<ImportMapping, FieldColumns>>();

/** Each mapped field's column index, worked out once per file (a file's rows share both maps). */
function columnsOf(columns: Map<string, number>, mapping: ImportMapping): FieldColumns {
  let byMapping = columnCache.get(columns);
  if (!byMapping) columnCache.set(columns, (byMapping = new WeakMap()));
  let at = byMapping.get(mapping);
  if (!at) {
    at = {};
    for (const [field, header] of Object.entries(mapping) as [ImportField, string | undefined][]) {
      const i = header === undefined ? undefined : columns.get(header);
      if (i !== undefined) at[field] = i;
    }
    byMapping.set(mapping, at);
  }
  return at;
}

/** One cell, trimmed. Broadside's export guards formula-like cells with an apostrophe (export-csv.ts); it comes off. */
function cell(fields: string[], i: number | undefined): string {
  if (i === undefined) return '';
  const v = fields[i];
  if (!v) return '';
  const t = v.trim();
  return t.charCodeAt(0) === 39 ? t.replace(/^'(?=[=+\-@])/, '') : t;
}

function text(v: string, max: number): string | null {
  const clean = v.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return clean ? clip(clean, max) : null;
}

/** The yes/no columns, and the answer that means the reader left. */
const YES_NO_FIELDS = [
  ['subscribed', false],
  ['emailDisabled', true],
] as const;

const notADate = (mapping: ImportMapping, field: ImportField, v: string): RowResult => ({
  ok: false,
  reason: `${mapping[field]} "${clip(v, 40)}" is not a date`,
});

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
  const at = columnsOf(columns, mapping);
  // cell() straight, not through a closure made per row (under tsx each closure also gets its name set).
  const rawEmail = cell(fields, at.email);
  if (!rawEmail) return { ok: false, reason: 'no email address' };
  if (rawEmail.includes('\ufffd')) return { ok: false, reason: 'the address has characters that are not valid text (is the file UTF-8?)' };
  const email = normaliseEmail(rawEmail);
  if (!email) return { ok: false, reason: `"${clip(rawEmail, 80)}" is not a valid email address` };

  let name = cell(fields, at.name);
  if (!name) {
    const first = cell(fields, at.firstName);
    const last = cell(fields, at.lastName);
    name = first && last ? `${first} ${last}` : first || last;
  }
  if (badText.test(name)) return { ok: false, reason: 'the name has line breaks or characters that are not valid text' };
  if (name.length > 100) return { ok: false, reason: 'the name is longer than 100 characters' };

  let stated = declared;
  if (!stated) {
    const word = cell(fields, at.status);
    if (word) {
      stated = statusFromWord(word);
      if (!stated) return { ok: false, reason: `unknown status "${clip(word, 40)}"` };
    }
  }
  if (!declared) {
    for (const [field, leftWhen] of YES_NO_FIELDS) {
      if (!mapping[field]) continue;
      const v = cell(fields, at[field]).toLowerCase();
      if (!truthy.has(v) && !falsy.has(v)) return { ok: false, reason: `${mapping[field]} should be true or false, not "${clip(v, 20)}"` };
      if (truthy.has(v) === leftWhen) stated = 'unsubscribed';
      else stated ??= 'active';
    }
  }

  let topicsOut: Topic[] | undefined;
  if (mapping.topics) {
    const list = cell(fields, at.topics).split(/[;,|]/).map((t) => t.trim().toLowerCase()).filter(Boolean);
    const unknown = list.find((t) => !(allTopics as readonly string[]).includes(t));
    if (unknown) return { ok: false, reason: `unknown topic "${clip(unknown, 40)}" (topics are ${allTopics.join(', ')})` };
    topicsOut = [...new Set(list)] as Topic[];
  }

  const tags: string[] = [];
  const tagCell = cell(fields, at.tags);
  if (tagCell) {
    for (const part of tagCell.split(/[,;|]/)) {
      const t = tagOf(part);
      if (t && tags.length < TAG_MAX && !tags.includes(t)) tags.push(t);
    }
  }
  if (mapping.paid && truthy.has(cell(fields, at.paid).toLowerCase()) && !tags.includes('paid')) tags.push('paid');

  const consentAt = parseTime(cell(fields, at.consentAt));
  if (consentAt === 'invalid') return notADate(mapping, 'consentAt', cell(fields, at.consentAt));
  const confirmedAt = parseTime(cell(fields, at.confirmedAt));
  if (confirmedAt === 'invalid') return notADate(mapping, 'confirmedAt', cell(fields, at.confirmedAt));
  const unsubscribedAt = parseTime(cell(fields, at.unsubscribedAt));
  if (unsubscribedAt === 'invalid') return notADate(mapping, 'unsubscribedAt', cell(fields, at.unsubscribedAt));

  return {
    ok: true,
    row: {
      line,
      email,
      key: mailboxKey(email),
      name: name || null,
      stated,
      topics: topicsOut,
      tags,
      consentAt,
      confirmedAt,
      unsubscribedAt,
      consentIp: ipOf(cell(fields, at.consentIp)),
      consentUserAgent: text(cell(fields, at.consentUserAgent), 500),
      consentSource: text(cell(fields, at.consentSource), 2000),
      consentWording: text(cell(fields, at.consentWording), 100),
      confirmIp: ipOf(cell(fields, at.confirmIp)),
    },
  };
}
