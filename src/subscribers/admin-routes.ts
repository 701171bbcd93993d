import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { singleLine } from '../http/fields';
import { parseOr400, readJson } from '../http/read-body';
import { addSubscriber, editSubscriber } from './admin';
import { emailField } from './email-field';
import { eraseSubscriber } from './erasure';
import { getSubscriber, listEvents, searchSubscribers } from './queries';
import { readerFilterSchema } from './reader-filter';
import { serializeEvent, serializeSubscriber } from './serialize';
import { tagsField } from './tags';
import { topicsField } from './topics';
import { idParam as parseId } from '../http/fields';

const addSchema = z.strictObject({
  email: emailField,
  name: singleLine('name', 100).optional(),
  topics: topicsField.optional(),
  tags: tagsField.optional(),
  status: z.enum(['active', 'pending'], { error: 'status must be "active" or "pending"' }).optional(),
});

const patchSchema = z.strictObject({
  name: singleLine('name', 100).nullable().optional(),
  topics: topicsField.optional(),
  tags: tagsField.optional(),
  status: z.literal('unsubscribed', { error: 'status can only be changed to "unsubscribed"' }).optional(),
});

const searchSchema = readerFilterSchema.extend({
  page: z.coerce.number().int().min(1, 'page starts at 1').default(1),
  limit: z.coerce.number().int().min(1).max(500, 'limit is at most 500').default(50),
});

const idParam = (raw: string) => parseId(raw, 'No reader with this id.');

/** /admin/api/subscribers: search, add, read, edit and erase readers. Mounted behind requireAdmin. */
export function subscriberAdminRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/', async (c) => {
    const args = parseOr400(searchSchema, c.req.query());
    const { rows, total } = await searchSubscribers(deps.db, { ...args, offset: (args.page - 1) * args.limit });
    return c.json({ subscribers: rows.map(serializeSubscriber), total, page: args.page, limit: args.limit });
  });

  app.post('/', async (c) => {
    const input = parseOr400(addSchema, await readJson(c));
    const row = await addSubscriber(deps, input);
    return c.json(serializeSubscriber(row), 201);
  });

  app.get('/:id', async (c) => {
    const row = await getSubscriber(deps.db, idParam(c.req.param('id')));
    if (!row) throw new AppError('not_found', 'No reader with this id.');
    const events = await listEvents(deps.db, row.id);
    return c.json({ ...serializeSubscriber(row), events: events.map(serializeEvent) });
  });

  app.patch('/:id', async (c) => {
    const id = idParam(c.req.param('id'));
    const input = parseOr400(patchSchema, await readJson(c));
    const row = await getSubscriber(deps.db, id);
    if (!row) throw new AppError('not_found', 'No reader with this id.');
    return c.json(serializeSubscriber(await editSubscriber(deps, row, input)));
  });

  /** Erasure (GDPR art. 17): every copy of the address and name goes; a keyed-hash tombstone stays. */
  app.delete('/:id', async (c) => {
    if (!(await eraseSubscriber(deps, idParam(c.req.param('id'))))) {
      throw new AppError('not_found', 'No reader with this id.');
    }
    return c.body(null, 204);
  });
  return app;
}
