import { and, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { subscribers } from '../db/schema';
import { readerWhere, type ReaderFilter } from './reader-filter';

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
const PAGE = 5000;

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

/**
 * One CSV cell. A value a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe, which the import takes off again (see rows.ts).
 */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n\t]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One reader as the page query gives it: id first, then exportColumns' values in order. */
type Row = [id: number, ...cells: (string | number | null)[]];

const TIMES = new Set([5, 10, 12, 13]);
const line = (r: Row) => {
  let out = '';
  for (let i = 1; i < r.length; i++) {
    const v = r[i];
    const text = v === null ? '' : TIMES.has(i - 1) ? iso(v as number) : String(v);
    out += (i > 1 ? ',' : '') + (text && plain.test(text) ? text : csvCell(text));
  }
  return out;
};
/** Cells that need neither quotes nor the formula guard: nearly all of them, checked once. */
const plain = /^[^=+\-@\t\r\s",;\n][^",;\r\n\t]*(?<!\s)$/;

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
      // A page as one JSON value (an array of arrays): the driver's cost is per column and
      // row, so this is one cell for PAGE readers; topics and tags are joined in SQL.
      const [page] = await db.all<{ rows: string | null }>(sql`
        select json_group_array(json_array(id, email, name, status,
          (case when wants_digest then 'digest' else '' end) || (case when wants_digest and wants_appeals then ';' else '' end)
            || (case when wants_appeals then 'appeals' else '' end),
          (select group_concat(t.value, ';') from json_each(tags) t),
          consent_at, consent_ip, consent_user_agent, consent_source, consent_wording, confirmed_at, confirm_ip,
          unsubscribed_at, created_at)) as rows
        from (select * from subscribers where ${and(gt(subscribers.id, lastId), where)} order by id limit ${PAGE})`);
      const rows = page?.rows ? (JSON.parse(page.rows) as Row[]) : [];
      if (!rows.length) {
        controller.close();
        return;
      }
      // Keyset: the next page starts after this one's highest id, whatever order the array has.
      rows.sort((x, y) => x[0] - y[0]);
      lastId = rows.at(-1)![0];
      controller.enqueue(encoder.encode(rows.map(line).join('\r\n') + '\r\n'));
    },
  });
}
