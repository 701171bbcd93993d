import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { parseOr400, readJson } from '../http/read-body';
import { BULK_MAX_ADDRESSES, bulkTag, pastedAddresses } from './bulk-tags';
import { exportReadersCsv } from './export-csv';
import { readerData } from './reader-data';
import { readerFilterSchema } from './reader-filter';
import { tagsField } from './tags';

const bulkSchema = z
  .strictObject({
    /** Pasted text (one address per line, or separated by commas, semicolons, spaces) or a list. */
    emails: z.union([z.string().max(1_000_000), z.array(z.string().max(320)).max(BULK_MAX_ADDRESSES)]),
    add: tagsField.optional(),
    remove: tagsField.optional(),
  })
  .refine((b) => b.add?.length || b.remove?.length, 'give tags to add or remove');

const idParam = (raw: string) => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', 'No reader with this id.');
  return id;
};

/**
 * The readers as a list: CSV export of all or a filter, bulk tagging by pasted addresses, and one
 * reader's data (GDPR access). Mounted at /admin/api/subscribers before the per-reader routes.
 */
export function readerListRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/export', (c) => {
    const filter = parseOr400(readerFilterSchema, c.req.query());
    const day = new Date(deps.now()).toISOString().slice(0, 10);
    return c.body(exportReadersCsv(deps.db, filter), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="broadside-readers-${day}.csv"`,
    });
  });

  app.post('/tags', async (c) => {
    const body = parseOr400(bulkSchema, await readJson(c));
    const { emails, invalid } = pastedAddresses(body.emails);
    if (emails.length > BULK_MAX_ADDRESSES) throw new AppError('bad_request', `At most ${BULK_MAX_ADDRESSES} addresses at once; import a CSV for more.`);
    const result = await bulkTag(deps.db, { emails, add: body.add ?? [], remove: body.remove ?? [], now: deps.now() });
    return c.json({ ...result, invalid });
  });

  /** GDPR art. 15: everything about one reader, as a JSON download. */
  app.get('/:id/export', async (c) => {
    const data = await readerData(deps.db, idParam(c.req.param('id')), deps.now());
    if (!data) throw new AppError('not_found', 'No reader with this id.');
    c.header('content-disposition', `attachment; filename="reader-${data.reader.id}.json"`);
    return c.json(data);
  });
  return app;
}
