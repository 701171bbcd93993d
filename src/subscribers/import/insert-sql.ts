import { sql, type SQL } from 'drizzle-orm';
import type { SubscriberStatus } from '../../db/schema';

/**
 * The two set-based statements that add a batch's new readers and their "imported" events
 * (src/subscribers/import/write-batch.ts runs them). Each takes the batch as one JSON value read
 * by json_each, which keeps D1 under its limit of 100 bound parameters.
 *
 * SQLite's `->>` costs about a microsecond per call (it looks the row's JSON text up in its parse
 * cache each time), and it was a third of the import's time in SQLite: 16 calls per reader for
 * 8 values. So a statement reads only the positions some row of the batch fills; a position no
 * row fills is written as its usual value directly, which is what `coalesce(j.value ->> k, usual)`
 * gave for it. The statement's text then depends on which positions the batch fills (a handful
 * of shapes per file), its result does not.
 */

/** Positions in a row's array (insertRow in write-batch.ts), and what null (or left off) means. */
export interface InsertDefaults {
  /** The batch's usual status: [8] when null. */
  status: SubscriberStatus;
  /** This import's consent source: [12] when null. */
  source: string;
  now: number;
}

/** Which of a row array's positions at least one row of the batch fills. */
export function filledPositions(rows: unknown[][]): boolean[] {
  const filled: boolean[] = Array.from({ length: 14 }, () => false);
  for (const row of rows) {
    for (let k = 0; k < row.length; k++) if (row[k] !== null) filled[k] = true;
  }
  return filled;
}

export function insertReaders(json: string, filled: boolean[], d: InsertDefaults): SQL {
  const at = (k: number) => sql.raw(`j.value ->> ${k}`);
  // A position's value: read when some row fills it, else null.
  const read = (k: number) => (filled[k] ? at(k) : sql`null`);
  // A position whose null means a usual value.
  const orUsual = (k: number, usual: SQL) => (filled[k] ? sql`coalesce(${at(k)}, ${usual})` : usual);
  const wants = filled[9]
    ? sql`coalesce(${at(9)}, 3) & 1, coalesce(${at(9)}, 3) >> 1`
    : sql`1, 1`;
  // "where true": SQLite needs it to tell INSERT … SELECT … ON CONFLICT from a join's ON.
  return sql`
    insert into subscribers (email, mailbox, name, status, wants_digest, wants_appeals, tags, consent_at, consent_ip,
      consent_user_agent, consent_source, consent_wording, confirmed_at, confirm_ip, unsubscribed_at, created_at, updated_at)
    select ${at(0)}, ${orUsual(1, at(0))}, ${read(2)}, ${orUsual(8, sql`${d.status}`)}, ${wants}, ${orUsual(3, sql`'[]'`)},
      ${read(4)}, ${read(5)}, ${read(11)}, ${orUsual(12, sql`${d.source}`)},
      ${orUsual(13, sql`'import'`)}, ${read(6)}, ${read(7)}, ${read(10)}, ${d.now}, ${d.now}
    from json_each(${json}) j where true
    on conflict do nothing`;
}

/**
 * One "imported" event per reader this import created (a reader who signed up in the same instant
 * has another created_at). Its detail is what plan's detail() writes for an update, built by SQLite
 * (json_object keeps the key order), with the row's file line. The lines of a batch are usually
 * consecutive (no refused or repeated row among them): then a line is the first one plus the
 * mailbox's index, and json_each reads a plain array of strings; otherwise it reads
 * [mailbox, line] pairs.
 */
export function insertImportedEvents(
  inserts: { mailbox: string; line: number }[],
  ctx: { tool: string; file: string; affirmed: boolean; now: number },
): SQL {
  const first = inserts[0]!.line;
  const consecutive = inserts.every((v, i) => v.line === first + i);
  const source = consecutive
    ? { json: JSON.stringify(inserts.map((v) => v.mailbox)), mailbox: sql`m.value`, line: sql`cast(${first} as integer) + m.key` }
    : { json: JSON.stringify(inserts.map((v) => [v.mailbox, v.line])), mailbox: sql`m.value ->> 0`, line: sql`m.value ->> 1` };
  return sql`
    insert into subscriber_events (subscriber_id, type, detail, created_at)
    select s.id, 'imported', json_object('action', 'added', 'tool', ${ctx.tool}, 'file', ${ctx.file},
      ${ctx.affirmed ? sql`'consent', 'affirmed', ` : sql``}'status', s.status, 'line', ${source.line}), ${ctx.now}
    from json_each(${source.json}) m join subscribers s on s.mailbox = ${source.mailbox}
    where s.created_at = ${ctx.now} and s.updated_at = ${ctx.now}`;
}
