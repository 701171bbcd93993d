import { Hono, type Context } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { limitBody } from '../http/body-limit';
import { AppError } from '../errors';
import { parseOr400 } from '../http/read-body';
import { importFields, type ImportMapping } from './import/formats';
import { jsonText } from '../http/fields';
import { previewImport, refusedCsv } from './import/preview';
import { statusFromWord } from './import/rows';
import { checkRun } from './import/pieces';
import { runImport } from './import/run-import';
import { deliverSoon } from './notify';

/** Uploads up to this size: a 100,000-reader Mailchimp export is about 20 MB. */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;
export const IMPORT_TOO_LARGE = `The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB; split it into pieces with the header row repeated.`;

const mappingField = jsonText(
  z.partialRecord(z.enum(importFields), z.string().max(200), { error: `mapping maps fields (${importFields.join(', ')}) to column names` }),
  { unreadable: 'mapping must be JSON, e.g. {"email":"E-mail","name":"Full name"}', max: 5000 },
);

const querySchema = z.object({
  status: z
    .string()
    .refine((v) => statusFromWord(v) !== undefined, 'status must be one of subscribed, pending, unsubscribed, cleaned, bounced, complained')
    .transform((v) => statusFromWord(v)!)
    .optional(),
  consent: z.literal('affirmed', { error: 'consent can only be "affirmed"' }).optional(),
  confirm: z.literal('send', { error: 'confirm can only be "send"' }).optional(),
  mapping: mappingField.optional(),
  file: z.string().max(200).optional(),
  lineOffset: z.coerce.number().int().min(0).max(100_000_000).optional(),
  run: z.coerce.number().int().min(0).optional(),
  format: z.enum(['json', 'csv']).optional(),
});

/** The uploaded file: a text/csv body, or the "file" field of a multipart form. */
async function uploadOf(c: Context, fallbackName?: string): Promise<{ body: ReadableStream<Uint8Array>; fileName: string }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data') {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new AppError('bad_request', 'The multipart body could not be read (a wrong or missing boundary, or a cut-off upload).');
    }
    const file = form.file;
    if (!(file instanceof File)) throw new AppError('bad_request', 'Upload the CSV file in a field named "file".');
    return { body: file.stream(), fileName: fallbackName ?? file.name ?? 'upload.csv' };
  }
  if (type === 'text/csv' || type === 'text/plain' || type === 'application/csv' || type === 'application/octet-stream' || type === 'text/tab-separated-values') {
    if (!c.req.raw.body) throw new AppError('bad_request', 'The file is empty.');
    return { body: c.req.raw.body, fileName: fallbackName ?? 'upload.csv' };
  }
  throw new AppError('unsupported_media_type', 'Send the CSV file as a text/csv body or as the "file" field of a multipart/form-data upload.');
}

/**
 * POST /admin/api/subscribers/import and /import/preview. Mounted before the admin API's general
 * 1 MiB body limit, which does not apply here (src/app.tsx); this route has its own.
 */
export function subscriberImportRoutes(deps: Deps) {
  const app = new Hono();
  app.use('*', limitBody(IMPORT_MAX_BYTES, IMPORT_TOO_LARGE));

  app.post('/preview', async (c) => {
    const q = parseOr400(querySchema, c.req.query());
    const { body } = await uploadOf(c, q.file);
    return c.json(await previewImport(body, { mapping: q.mapping as ImportMapping | undefined, status: q.status, affirmed: q.consent === 'affirmed' }));
  });

  app.post('/', async (c) => {
    const q = parseOr400(querySchema, c.req.query());
    const { body, fileName } = await uploadOf(c, q.file);
    const summary = await runImport(deps, body, {
      fileName,
      status: q.status,
      affirmed: q.consent === 'affirmed',
      mapping: q.mapping as ImportMapping | undefined,
      lineOffset: q.lineOffset,
      // A file sent in pieces: each piece carries the `run` the first one answered.
      run: q.run === undefined ? undefined : checkRun(q.run, deps.now()),
      confirm: q.confirm === 'send',
    });
    if (summary.confirmationsQueued) deliverSoon(deps, summary.confirmationsQueued);
    if (q.format === 'csv') {
      return c.body(refusedCsv(summary.refused), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="refused-rows.csv"',
      });
    }
    const { added, updated, unchanged, suppressed, skipped, refused, ...rest } = summary;
    return c.json({ added, updated, unchanged, suppressed, skipped, refused, ...rest });
  });
  return app;
}
