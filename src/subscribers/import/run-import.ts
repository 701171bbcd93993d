import type { SubscriberStatus } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { tombstoneHasher } from '../erasure';
import { toUtf8, type TextEncoding } from './decode';
import { declaredStatusOf, detectFormat, formatNames, guessMapping, importFields, type ImportFormat, type ImportMapping } from './formats';
import { readCsv, type CsvProblem, type CsvRecord, type Delimiter } from './read-csv';
import { readRow, type ImportRow } from './rows';
import { writeBatch, type BatchContext, type RowOutcome } from './write-batch';

/** Rows per written batch: big enough to amortise a round trip, small enough for D1's limits. */
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

type ImportDeps = Pick<Deps, 'db' | 'secrets' | 'now'>;

export interface Header {
  format: ImportFormat;
  headers: string[];
  mapping: ImportMapping;
  declared: SubscriberStatus | undefined;
  columns: Map<string, number>;
}

/** Reads the header row: the format, the mapping (guessed, or the editor's, checked). */
export function readHeader(record: CsvRecord | undefined, options: Pick<ImportOptions, 'mapping' | 'status'>): Header {
  if (!record) throw new AppError('bad_request', 'The file has no rows: the first row must be a header such as "email,name".');
  const headers = record.fields.map((h) => h.trim());
  const start = headers[0] ?? '';
  if (/^[[{]/.test(start)) throw new AppError('bad_request', 'This file is JSON, not CSV. Export the list as CSV with a header row such as "email,name".');
  if (start.startsWith('<')) throw new AppError('bad_request', 'This file is HTML or XML, not CSV. Export the list as CSV with a header row such as "email,name".');
  const format = detectFormat(headers);
  const mapping = options.mapping ?? guessMapping(format, headers);
  for (const [field, header] of Object.entries(mapping)) {
    if (!(importFields as readonly string[]).includes(field)) throw new AppError('bad_request', `mapping: unknown field "${field}" (fields are ${importFields.join(', ')}).`);
    if (!headers.includes(header!)) throw new AppError('bad_request', `mapping: the file has no column "${header}".`);
  }
  if (!mapping.email) {
    const looksLikeData = headers.some((h) => h.includes('@'));
    throw new AppError(
      'bad_request',
      looksLikeData
        ? 'The first row must be a header row naming the columns (for example "email,name"); this one holds an address.'
        : `No email column: the header row has ${headers.slice(0, 10).map((h) => `"${h}"`).join(', ') || 'nothing'}. Name the address column "email", or give a mapping.`,
    );
  }
  const declaredWord = options.status ?? declaredStatusOf(format, headers);
  const declared = declaredWord === 'subscribed' ? undefined : declaredWord === 'cleaned' ? 'bounced' : (declaredWord as SubscriberStatus | undefined);
  const columns = new Map(headers.map((h, i) => [h, i] as const));
  // Mailchimp's subscribed file states "subscribed" for every row.
  const fileStatus = format === 'mailchimp' && !declared && !options.status ? ('active' as const) : declared;
  return { format, headers, mapping, declared: fileStatus, columns };
}

export async function openCsv(body: ReadableStream<Uint8Array>) {
  const { encoding, stream } = await toUtf8(body);
  const problems: CsvProblem[] = [];
  const meta: { delimiter?: Delimiter } = {};
  const records = readCsv(stream, problems, meta);
  return { encoding, records, problems, meta };
}

const today = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Imports a CSV file, streamed: rows are read, checked and written in batches of
 * IMPORT_BATCH_ROWS, so memory holds one batch (plus the set of addresses seen, to count a
 * repeated address once). Safe to repeat: a second run of the same file changes nothing.
 * The audit log records each import (who, when) in the API guard, src/admin/api-guard.ts.
 */
export async function runImport(
  deps: ImportDeps,
  body: ReadableStream<Uint8Array>,
  options: ImportOptions,
  onProgress?: (p: ImportProgress) => void | Promise<void>,
): Promise<ImportSummary> {
  const { encoding, records, problems, meta } = await openCsv(body);
  const first = await records.next();
  const header = readHeader(first.done ? undefined : first.value, options);
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
    delimiter: meta.delimiter ?? ',',
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
  const seen = options.earlier ? await acceptedKeys(options.earlier, options) : new Set<string>();
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
  const drainProblems = () => {
    for (const p of problems.splice(0)) {
      summary.rows++;
      refuse(p.line, p.reason);
    }
  };
  for await (const record of records) {
    drainProblems();
    if (options.run !== undefined) ctx.pieces ??= { firstLine: record.line + offset };
    summary.rows++;
    const result = readRow(record.fields, record.line, header.columns, header.mapping, header.declared);
    if (!result.ok) {
      refuse(record.line, result.reason);
      continue;
    }
    if (seen.has(result.row.key)) {
      summary.duplicates++;
      continue;
    }
    seen.add(result.row.key);
    batch.push(result.row);
    if (batch.length >= IMPORT_BATCH_ROWS) await flush();
  }
  drainProblems();
  await flush();
  summary.refused.sort((a, b) => a.line - b.line);
  return summary;
}

/** The mailbox keys of the rows an import would take (not refuse) from `csv`, which has its header row. */
async function acceptedKeys(csv: string, options: Pick<ImportOptions, 'mapping' | 'status'>): Promise<Set<string>> {
  const keys = new Set<string>();
  const { records } = await openCsv(new Blob([csv]).stream());
  const first = await records.next();
  const header = readHeader(first.done ? undefined : first.value, options);
  for await (const record of records) {
    const result = readRow(record.fields, record.line, header.columns, header.mapping, header.declared);
    if (result.ok) keys.add(result.row.key);
  }
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

