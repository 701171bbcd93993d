import { formatNames } from './formats';
import { openCsv, readHeader } from './checked-rows';
import type { ImportOptions } from './run-import';
import { readRow } from './rows';
import { statusForNew } from './write-batch';

export const PREVIEW_ROWS = 10;

/**
 * What an import would read, without writing anything: the format Broadside recognised, the
 * encoding and separator, the mapping it guessed (the desk shows it for correction), and the
 * first rows as they would be imported, or why they would be refused. Reads only the start of
 * the file.
 */
export async function previewImport(body: ReadableStream<Uint8Array>, options: Pick<ImportOptions, 'mapping' | 'status' | 'affirmed'> = {}) {
  const { encoding, records, problems, meta } = await openCsv(body);
  try {
    const first = await records.next();
    const header = readHeader(first.done ? undefined : first.value, options);
    const rows = [];
    for await (const record of records) {
      const result = readRow(record.fields, record.line, header.columns, header.mapping, header.declared);
      if (!result.ok) {
        rows.push({ line: record.line, fields: record.fields, refused: result.reason });
      } else {
        const r = result.row;
        const { status } = statusForNew(r, { recognised: header.format !== 'plain', affirmed: options.affirmed ?? false });
        rows.push({
          line: r.line,
          fields: record.fields,
          reader: {
            email: r.email,
            name: r.name,
            status,
            topics: r.topics ?? null,
            tags: r.tags,
            consentAt: r.consentAt === null ? null : new Date(r.consentAt).toISOString(),
            consentIp: r.consentIp,
            confirmedAt: r.confirmedAt === null ? null : new Date(r.confirmedAt).toISOString(),
          },
        });
      }
      if (rows.length >= PREVIEW_ROWS) break;
    }
    return {
      format: header.format,
      tool: formatNames[header.format],
      encoding,
      delimiter: meta.delimiter ?? ',',
      headers: header.headers,
      mapping: header.mapping,
      declaredStatus: header.declared ?? null,
      rows,
      problems: problems.slice(0, PREVIEW_ROWS),
    };
  } finally {
    await records.return();
  }
}

/** The refused rows as a CSV file the editor can download, fix and import again. */
export function refusedCsv(refused: { line: number; reason: string }[]): string {
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return ['line,reason', ...refused.map((r) => `${r.line},${quote(r.reason)}`)].join('\r\n') + '\r\n';
}
