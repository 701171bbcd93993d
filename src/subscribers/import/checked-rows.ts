import type { SubscriberStatus } from '../../db/schema';
import { AppError } from '../../errors';
import { toUtf8, type TextEncoding } from './decode';
import { declaredStatusOf, detectFormat, guessMapping, importFields, type ImportFormat, type ImportMapping } from './formats';
import { readCsv, type CsvProblem, type CsvRecord, type Delimiter } from './read-csv';
import { readRow, type ImportRow } from './rows';

/**
 * An import's first half: the file read, its header understood and every row checked, in file
 * order, with nothing written. runImport (run-import.ts) writes what this yields. It runs in the
 * request's thread, or on Node in a worker thread (src/node/import-thread.ts) so that reading
 * and checking one part of the file overlaps writing the part before: the same code either way.
 */

/** What the file tells before its rows. */
export interface CheckedHead {
  encoding: TextEncoding;
  delimiter: Delimiter;
  header: Header;
}

/**
 * One entry per row in file order: a row that cannot be read as CSV ('problem'), a record the
 * checks refused ('refused'), or a checked row ('row').
 */
export type CheckedEntry =
  | { kind: 'problem'; line: number; reason: string }
  | { kind: 'refused'; line: number; reason: string }
  | { kind: 'row'; row: ImportRow };

export interface CheckedFile extends CheckedHead {
  /** The entries, a few hundred at a time; return() lets go of the file (and a worker thread) early. */
  entries: AsyncIterableIterator<CheckedEntry[]>;
}

/** What reading and checking needs of the import's options. */
export type CheckOptions = { mapping?: ImportMapping; status?: SubscriberStatus };

/** Reads and checks a file's rows; Deps.importReader, or readChecked in the request's thread. */
export type ImportReader = (body: ReadableStream<Uint8Array>, options: CheckOptions) => Promise<CheckedFile>;

/** Entries handed over at a time (a worker thread posts each group as one message). */
export const ENTRIES_PER_GROUP = 500;

export interface Header {
  format: ImportFormat;
  headers: string[];
  mapping: ImportMapping;
  declared: SubscriberStatus | undefined;
  columns: Map<string, number>;
}

/** Reads the header row: the format, the mapping (guessed, or the editor's, checked). */
export function readHeader(record: CsvRecord | undefined, options: CheckOptions): Header {
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


/** Reads and checks the file here, in this thread. Throws AppError for a file it cannot import. */
export async function readChecked(body: ReadableStream<Uint8Array>, options: CheckOptions): Promise<CheckedFile> {
  const { encoding, records, problems, meta } = await openCsv(body);
  const first = await records.next();
  const header = readHeader(first.done ? undefined : first.value, options);
  async function* entries(): AsyncGenerator<CheckedEntry[], void, void> {
    let group: CheckedEntry[] = [];
    // A problem is reported before the record that follows it, as it was found.
    const drainProblems = () => {
      for (const p of problems.splice(0)) group.push({ kind: 'problem', line: p.line, reason: p.reason });
    };
    for await (const record of records) {
      drainProblems();
      const result = readRow(record.fields, record.line, header.columns, header.mapping, header.declared);
      group.push(result.ok ? { kind: 'row', row: result.row } : { kind: 'refused', line: record.line, reason: result.reason });
      if (group.length >= ENTRIES_PER_GROUP) {
        yield group;
        group = [];
      }
    }
    drainProblems();
    if (group.length) yield group;
  }
  return { encoding, delimiter: meta.delimiter ?? ',', header, entries: entries() };
}
