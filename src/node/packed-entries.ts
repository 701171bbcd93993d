import type { CheckedEntry } from '../subscribers/import/checked-rows';
import type { ImportRow } from '../subscribers/import/rows';

/**
 * A group of checked entries as the import's worker thread posts it (src/node/import-thread.ts):
 * one JSON string of short arrays, a row's values by position. postMessage copies a string
 * almost for free, where its structured clone of the entries themselves (an object of 15 named
 * values per row) cost about 0.5 s of the worker's CPU and 0.4 s of the writing thread's for
 * 100,000 rows; this packing and its JSON cost less than half of that on each side.
 *
 * A row is [line, email, key, name, stated, topics, tags, consentAt, consentIp, consentUserAgent,
 * consentSource, consentWording, confirmedAt, confirmIp, unsubscribedAt]; a problem or a refused
 * record is ['p' or 'r', line, reason] (a string first, where a row has its line).
 */

type Packed = (string | number | null | string[])[];

/**
 * Every field of ImportRow: a field added to it must be listed here (tsc fails otherwise), and
 * unpackEntries, which builds an ImportRow, must read it (tsc again). packEntries spells the row
 * out rather than looping over this list (that cost 1.7× its CPU); the round trip test in
 * test/subscribers/import/thread.test.ts catches a field it leaves out.
 */
const FIELDS = [
  'line', 'email', 'key', 'name', 'stated', 'topics', 'tags', 'consentAt', 'consentIp', 'consentUserAgent',
  'consentSource', 'consentWording', 'confirmedAt', 'confirmIp', 'unsubscribedAt',
] as const satisfies readonly (keyof ImportRow)[];
type Unpacked = Exclude<keyof ImportRow, (typeof FIELDS)[number]>;
export const everyFieldPacked: [Unpacked] extends [never] ? true : never = true;

export function packEntries(entries: CheckedEntry[]): string {
  const out: Packed[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.kind !== 'row') {
      out[i] = [e.kind === 'problem' ? 'p' : 'r', e.line, e.reason];
      continue;
    }
    const r = e.row;
    // JSON writes undefined in an array as null; unpackEntries gives stated and topics back as undefined.
    out[i] = [
      r.line, r.email, r.key, r.name, r.stated ?? null, r.topics ?? null, r.tags, r.consentAt, r.consentIp, r.consentUserAgent,
      r.consentSource, r.consentWording, r.confirmedAt, r.confirmIp, r.unsubscribedAt,
    ];
  }
  return JSON.stringify(out);
}

export function unpackEntries(packed: string): CheckedEntry[] {
  const rows = JSON.parse(packed) as any[][];
  const out: CheckedEntry[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const a = rows[i]!;
    if (typeof a[0] === 'string') {
      out[i] = { kind: a[0] === 'p' ? 'problem' : 'refused', line: a[1], reason: a[2] };
      continue;
    }
    // The same keys in the same order as readRow builds a row.
    const row: ImportRow = {
      line: a[0],
      email: a[1],
      key: a[2],
      name: a[3],
      stated: a[4] ?? undefined,
      topics: a[5] ?? undefined,
      tags: a[6],
      consentAt: a[7],
      confirmedAt: a[12],
      unsubscribedAt: a[14],
      consentIp: a[8],
      consentUserAgent: a[9],
      consentSource: a[10],
      consentWording: a[11],
      confirmIp: a[13],
    };
    out[i] = { kind: 'row', row };
  }
  return out;
}
