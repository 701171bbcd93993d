import { parse, type CsvError } from 'csv-parse/stream';

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** The physical line the record starts on, 1-based, header included. */
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

/** Longest record accepted; a quote that is never closed otherwise swallows the rest of the file. */
const MAX_RECORD_CHARS = 64 * 1024;

/**
 * Picks the separator from the header line: the most frequent of comma, semicolon (Excel in many
 * European locales) and tab, outside quotes. Comma when there is none.
 */
export function sniffDelimiter(text: string): Delimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as Delimiter]++;
  }
  const best = (Object.entries(counts) as [Delimiter, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}

const reasonOf = (code: string): string => {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed (a " is missing)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote " inside a value is not doubled ("")';
    case 'CSV_MAX_RECORD_SIZE':
      return 'the row is far too long (probably a quote that is never closed)';
    default:
      return `the row cannot be read as CSV (${code})`;
  }
};

/**
 * Reads CSV records from UTF-8 bytes, streamed through csv-parse: quoted separators and line
 * breaks, doubled quotes, CRLF or LF, a BOM. A malformed record is reported with its line and
 * skipped, and reading goes on. `problems` collects those reports as they happen.
 */
export async function* readCsv(
  input: ReadableStream<Uint8Array>,
  problems: CsvProblem[],
  meta: { delimiter?: Delimiter } = {},
): AsyncGenerator<CsvRecord, void, void> {
  const reader = input.getReader();
  const first = await reader.read();
  if (first.done) return;
  const head = first.value;
  const delimiter = sniffDelimiter(new TextDecoder().decode(head.subarray(0, 8192)));
  meta.delimiter = delimiter;
  let sentHead = false;
  const source = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  // A record's line is counted here, from the line breaks inside its values, rather than asked
  // of csv-parse (on_record): the record info it builds for that costs more than the parsing.
  // A skipped record is reported with csv-parse's line count, which counts a CR LF inside a
  // quoted value as two lines (`extra` corrects it), and with the number of records before it,
  // so that it is placed between the records it came between.
  const skips: { records: number; lines: number; code: string }[] = [];
  const parser = parse({
    bom: true,
    delimiter,
    relax_column_count: true,
    // A stray quote inside an unquoted value (bad"quote@…) is kept as a character, not a syntax error.
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (err) skips.push({ records: Number(err.records ?? 0), lines: Number(err.lines ?? 1), code: err.code });
    },
  } as unknown as Parameters<typeof parse>[0]);
  let records = 0;
  let extra = 0;
  let lastEnd = 0;
  const reportSkips = (upTo: number) => {
    while (skips.length && skips[0]!.records <= upTo) {
      const skip = skips.shift()!;
      const end = skip.lines - extra;
      // An unclosed quote is only noticed where it ends (often the end of the file): name its start.
      const swallowed = skip.code === 'CSV_QUOTE_NOT_CLOSED' || skip.code === 'CSV_MAX_RECORD_SIZE';
      const line = swallowed ? lastEnd + 1 : Math.max(1, end);
      if (problems.at(-1)?.line !== line) problems.push({ line, reason: reasonOf(skip.code) + (swallowed ? '; the rows after it were not read' : '') });
      lastEnd = end;
    }
  };
  const out = source.pipeThrough(parser).getReader();
  for (;;) {
    const { done, value } = await out.read();
    if (done) break;
    reportSkips(records);
    records++;
    const record = value as unknown as string[];
    let breaks = 0;
    for (const f of record) {
      if (!f.includes('\n') && !f.includes('\r')) continue;
      extra += f.split('\r\n').length - 1;
      breaks += f.split(/\r\n|\n|\r/).length - 1;
    }
    const line = lastEnd + 1;
    lastEnd = line + breaks;
    // A record of one empty field is a blank line.
    if (record.length === 1 && record[0]!.trim() === '') continue;
    yield { line, fields: record };
  }
  reportSkips(Infinity);
}
