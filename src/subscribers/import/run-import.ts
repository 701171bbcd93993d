import type { SubscriberStatus } from '../../db/schema';
import type { Deps } from '../../deps';
import { tombstoneHasher } from '../erasure';
import { readChecked } from './checked-rows';
import type { TextEncoding } from './decode';
import { formatNames, type ImportFormat, type ImportMapping } from './formats';
import type { Delimiter } from './read-csv';
import type { ImportRow } from './rows';
import { writeBatch, type BatchContext, type RowOutcome } from './write-batch';

/** Rows per written batch unless deps say otherwise: big enough to amortise a round trip, small enough for D1's limits. */
export const IMPORT_BATCH_ROWS = 500;
/** Refused rows kept in the summary; the count goes on beyond it. */
const REFUSED_KEPT = 10_000;

export interface ImportOptions {
  /** The uploaded file's name, for the consent source ("members.csv"). */
  fileName: string;
  /** One status for every row (Mailchimp's unsubscribed and cleaned files). */
  status?: SubscriberStatus;
  /** The editor affirms that the site holds consent for rows without evidence of it. */
  affirmed?: boolean;
  /** The editor's correction of the guessed mapping. */
  mapping?: ImportMapping;
  /** Line numbers in this piece start after this many lines (an import sent in pieces). */
  lineOffset?: number;
  /**
   * The time of the import this piece belongs to (checked by checkRun), the same for every
   * piece: see src/subscribers/import/pieces.ts.
   */
  run?: number;
  /**
   * Rows of the file's earlier pieces (with the header row) whose address may be repeated in
   * this one: an address among them that was imported counts once, as in an import in one go.
   */
  earlier?: string;
  /**
   * Queue a confirmation email for each reader added as pending, written with the rows (see
   * writeBatch); the caller then starts the queue's sender (deliverSoon).
   */
  confirm?: boolean;
}

export interface ImportSummary {
  format: ImportFormat;
  encoding: TextEncoding;
  delimiter: Delimiter;
  mapping: ImportMapping;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  suppressed: number;
  skipped: number;
  /** Repeats of an address already seen earlier in the file: counted once, at its first line. */
  duplicates: number;
  refused: { line: number; reason: string }[];
  refusedCount: number;
  /** Confirmation emails queued for readers added as pending (with `confirm`). */
  confirmationsQueued: number;
  /** The import's time: the `run` that the file's further pieces carry (src/subscribers/import/pieces.ts). */
  run: number;
}

export type ImportProgress = Pick<ImportSummary, 'rows' | 'added' | 'updated' | 'unchanged' | 'suppressed' | 'skipped' | 'duplicates' | 'refusedCount'>;

type ImportDeps = Pick<Deps, 'db' | 'secrets' | 'now' | 'importReader' | 'importBatchRows'>;

const today = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Imports a CSV file, streamed: rows are read, checked and written in batches of
 * deps.importBatchRows (IMPORT_BATCH_ROWS by default), so memory holds one batch (plus the set of addresses seen, to count a
 * repeated address once). Safe to repeat: a second run of the same file changes nothing.
 * The rows are read and checked by deps.importReader (on Node a worker thread, so that reading
 * overlaps writing; src/node/import-thread.ts) or else here, by the same code (checked-rows.ts).
 * The audit log records each import (who, when) in the API guard, src/admin/api-guard.ts.
 */
export async function runImport(
  deps: ImportDeps,
  body: ReadableStream<Uint8Array>,
  options: ImportOptions,
  onProgress?: (p: ImportProgress) => void | Promise<void>,
): Promise<ImportSummary> {
  const { encoding, delimiter, header, entries } = await (deps.importReader ?? readChecked)(body, { mapping: options.mapping, status: options.status });
  const tool = formatNames[header.format];
  const file = options.fileName.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120) || 'upload.csv';
  const now = options.run ?? deps.now();
  const offset = options.lineOffset ?? 0;
  const ctx: BatchContext = {
    now,
    recognised: header.format !== 'plain',
    affirmed: options.affirmed ?? false,
    source: `imported from ${tool} export ${file}, ${today(now)}`,
    tool,
    file,
    tombstone: tombstoneHasher(deps.secrets.secret),
    confirm: options.confirm ?? false,
    lineOffset: offset,
  };
  const summary: ImportSummary = {
    format: header.format,
    encoding,
    delimiter,
    mapping: header.mapping,
    rows: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    suppressed: 0,
    skipped: 0,
    duplicates: 0,
    refused: [],
    refusedCount: 0,
    confirmationsQueued: 0,
    run: now,
  };
  const refuse = (line: number, reason: string) => {
    summary.refusedCount++;
    if (summary.refused.length < REFUSED_KEPT) summary.refused.push({ line: line + offset, reason });
  };
  const seen = options.earlier
    ? await acceptedKeys(options.earlier, options).catch(async (cause: unknown) => {
        // The file's rows are not read after all: let go of it (and of a worker thread reading it).
        await entries.return?.();
        throw cause;
      })
    : new Set<string>();
  const batchRows = deps.importBatchRows ?? IMPORT_BATCH_ROWS;
  let batch: ImportRow[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const outcomes = await writeBatch(deps.db, batch, ctx);
    for (const { outcome, status } of outcomes) {
      summary[outcome satisfies RowOutcome]++;
      if (ctx.confirm && outcome === 'added' && status === 'pending') summary.confirmationsQueued++;
    }
    batch = [];
    await onProgress?.(progressOf(summary));
  };
  for await (const group of entries) {
    for (const entry of group) {
      summary.rows++;
      if (entry.kind === 'problem') {
        refuse(entry.line, entry.reason);
        continue;
      }
      const line = entry.kind === 'row' ? entry.row.line : entry.line;
      if (options.run !== undefined) ctx.pieces ??= { firstLine: line + offset };
      if (entry.kind === 'refused') {
        refuse(entry.line, entry.reason);
        continue;
      }
      if (seen.has(entry.row.key)) {
        summary.duplicates++;
        continue;
      }
      seen.add(entry.row.key);
      batch.push(entry.row);
      if (batch.length >= batchRows) await flush();
    }
  }
  await flush();
  summary.refused.sort((a, b) => a.line - b.line);
  return summary;
}

/** The mailbox keys of the rows an import would take (not refuse) from `csv`, which has its header row. */
async function acceptedKeys(csv: string, options: Pick<ImportOptions, 'mapping' | 'status'>): Promise<Set<string>> {
  const keys = new Set<string>();
  const { entries } = await readChecked(new Blob([csv]).stream(), options);
  for await (const group of entries) for (const e of group) if (e.kind === 'row') keys.add(e.row.key);
  return keys;
}

const progressOf = (s: ImportSummary): ImportProgress => ({
  rows: s.rows,
  added: s.added,
  updated: s.updated,
  unchanged: s.unchanged,
  suppressed: s.suppressed,
  skipped: s.skipped,
  duplicates: s.duplicates,
  refusedCount: s.refusedCount,
});

