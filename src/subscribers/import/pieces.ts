import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import type { SubscriberStatus } from '../../db/schema';
import { AppError } from '../../errors';

/**
 * An import sent in pieces (the desk splits a large file so that every request stays within a
 * Worker's limits): every piece carries the run's one timestamp, so the readers it writes carry
 * the same time as in an import in one go, and a reader written by the run is known by it
 * (updated_at = the run). That is how a later piece counts an address an earlier piece already
 * imported as a repeat, as one request would, and how a piece sent again after a failure counts
 * what its first attempt wrote as it did then, rather than as unchanged.
 */

/** How long after it was issued a run may still be continued (the desk issues it with the preview). */
export const RUN_MAX_AGE_MS = 24 * 3600 * 1000;

export function checkRun(run: number, now: number): number {
  if (run > now) throw new AppError('bad_request', 'run: the import run cannot start in the future.');
  if (now - run > RUN_MAX_AGE_MS) throw new AppError('bad_request', 'run: this import was started more than a day ago; import the file again (that is safe).');
  return run;
}

/** What the run wrote for a reader: its "imported" event's action, status and file line. */
export interface WrittenInRun {
  action: string;
  status: SubscriberStatus | undefined;
  line: number;
}

/**
 * The readers among `ids` that this run already wrote, with what it wrote (the earliest line,
 * should there be two). Asked only for readers whose updated_at is the run's time, which outside
 * an import in pieces is nobody, so an import in one go never pays for it.
 */
export async function writtenInRun(db: Database, ids: number[], run: number): Promise<Map<number, WrittenInRun>> {
  const out = new Map<number, WrittenInRun>();
  if (!ids.length) return out;
  const rows = await db.all<{ id: number; detail: string | null }>(sql`
    select subscriber_id as id, detail from subscriber_events
    where subscriber_id in (select value from json_each(${JSON.stringify(ids)})) and created_at = ${run} and type = 'imported'`);
  for (const { id, detail } of rows) {
    const d = JSON.parse(detail ?? '{}') as { action?: string; status?: SubscriberStatus; line?: number };
    if (typeof d.line !== 'number' || !d.action) continue;
    const seen = out.get(id);
    if (!seen || d.line < seen.line) out.set(id, { action: d.action, status: d.status, line: d.line });
  }
  return out;
}
