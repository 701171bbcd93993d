import { and, asc, gt } from 'drizzle-orm';
import type { Database } from '../db/database';
import { subscribers } from '../db/schema';
import type { Subscriber } from './queries';
import { readerWhere, type ReaderFilter } from './reader-filter';
import { topicList } from './topics';

/**
 * Broadside's own export: one row per reader with status, topics, tags and the consent record.
 * The header names are what the import recognises as "Broadside", so an export imports back
 * unchanged (test/subscribers/export.test.ts).
 */
export const exportColumns = [
  'email',
  'name',
  'status',
  'topics',
  'tags',
  'consent_at',
  'consent_ip',
  'consent_user_agent',
  'consent_source',
  'consent_wording',
  'confirmed_at',
  'confirm_ip',
  'unsubscribed_at',
  'created_at',
] as const;

/** Readers per query: keyset pages by id, so memory holds one page whatever the list size. */
const PAGE = 2000;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/**
 * One CSV cell. A value a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, which the import takes off again (see rows.ts).
 */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n\t]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const line = (s: Subscriber) =>
  [
    s.email,
    s.name ?? '',
    s.status,
    topicList(s).join(';'),
    s.tags.join(';'),
    iso(s.consentAt),
    s.consentIp ?? '',
    s.consentUserAgent ?? '',
    s.consentSource ?? '',
    s.consentWording ?? '',
    iso(s.confirmedAt),
    s.confirmIp ?? '',
    iso(s.unsubscribedAt),
    iso(s.createdAt),
  ]
    .map(csvCell)
    .join(',');

/**
 * The readers matching `filter` as a CSV stream (UTF-8, CRLF, header first), read page by page
 * as the client takes it.
 * The audit log records each export (who, when) in the API guard, src/admin/api-guard.ts.
 */
export function exportReadersCsv(db: Database, filter: ReaderFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const where = readerWhere(filter);
  let lastId = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(exportColumns.join(',') + '\r\n'));
        return;
      }
      const rows = await db
        .select()
        .from(subscribers)
        .where(and(gt(subscribers.id, lastId), where))
        .orderBy(asc(subscribers.id))
        .limit(PAGE);
      if (!rows.length) {
        controller.close();
        return;
      }
      lastId = rows.at(-1)!.id;
      controller.enqueue(encoder.encode(rows.map(line).join('\r\n') + '\r\n'));
    },
  });
}
