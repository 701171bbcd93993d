import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { singleLine } from '../http/fields';
import { parseOr400, readJson } from '../http/read-body';
import { collapseWhitespace } from './html-text';
import { addArticle, getArticle, listArticles } from './queries';
import { refreshFeed } from './refresh-feed';
import { serializeArticle } from './serialize';
import { safeUrl } from './urls';
import { idParam as parseId } from '../http/fields';

export type ArticleRouteDeps = Pick<Deps, 'config' | 'db' | 'logger' | 'now'> & Partial<Pick<Deps, 'fetch'>>;

export interface ArticleRouteOptions {
  /** The feed fetcher (an edge); globalThis.fetch by default. */
  fetch?: typeof globalThis.fetch;
}

const missingOr = (field: string, wrong: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? `${field} is required` : `${field} ${wrong}`;

const httpUrl = (field: string) =>
  z
    .string({ error: missingOr(field, 'must be an http(s) URL') })
    .max(2048, `${field} is too long`)
    .transform((v, ctx) => {
      const url = safeUrl(v);
      if (!url) ctx.addIssue({ code: 'custom', message: `${field} must be an http(s) URL` });
      return url ?? '';
    });

/** An ISO 8601 time with a zone, or a date alone (midnight UTC). */
const isoTime = (field: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: `${field} must be an ISO 8601 date or time, e.g. 2024-05-10 or 2024-05-10T09:00:00Z`,
    })
    .transform((v) => Date.parse(v));

const addSchema = z.strictObject({
  url: httpUrl('url'),
  title: z
    .string({ error: missingOr('title', 'must be text') })
    .pipe(singleLine('title', 300))
    .pipe(z.string().min(1, 'title is required')),
  excerpt: z
    .string({ error: 'excerpt must be text' })
    .max(1000, 'excerpt is too long (at most 1000 characters)')
    .transform(collapseWhitespace)
    .optional(),
  author: singleLine('author', 200).optional(),
  imageUrl: httpUrl('imageUrl').optional(),
  imageAlt: singleLine('imageAlt', 300).optional(),
  categories: z.array(singleLine('category', 100)).max(20, 'at most 20 categories').optional(),
  publishedAt: isoTime('publishedAt').optional(),
});

const listSchema = z.object({
  since: isoTime('since').optional(),
  page: z.coerce.number().int().min(1, 'page starts at 1').default(1),
  limit: z.coerce.number().int().min(1).max(200, 'limit is at most 200').default(50),
});

const idParam = (raw: string) => parseId(raw, 'No article with this id.');

/** /admin/api/articles: list, add by hand, refresh from FEED_URL. Mounted behind requireAdmin. */
export function articleRoutes(deps: ArticleRouteDeps, options: ArticleRouteOptions = {}) {
  const app = new Hono();

  app.get('/', async (c) => {
    const args = parseOr400(listSchema, c.req.query());
    const { rows, total } = await listArticles(deps.db, {
      since: args.since,
      limit: args.limit,
      offset: (args.page - 1) * args.limit,
    });
    return c.json({ articles: rows.map(serializeArticle), total, page: args.page, limit: args.limit });
  });

  app.post('/', async (c) => {
    const input = parseOr400(addSchema, await readJson(c));
    const now = deps.now();
    const row = await addArticle(deps.db, { ...input, publishedAt: input.publishedAt ?? now }, now);
    return c.json(serializeArticle(row), 201);
  });

  app.post('/refresh', async (c) => {
    const feedUrl = deps.config.feedUrl;
    if (!feedUrl) throw new AppError('bad_request', 'FEED_URL is not configured.');
    const { db, now, logger } = deps;
    const report = await refreshFeed({ db, feedUrl, fetch: options.fetch ?? deps.fetch, now, logger });
    // The feed, not Broadside, failed: 502 Bad Gateway, with the reason for the editor.
    return c.json(report, report.ok ? 200 : 502);
  });

  app.get('/:id', async (c) => {
    const row = await getArticle(deps.db, idParam(c.req.param('id')));
    if (!row) throw new AppError('not_found', 'No article with this id.');
    return c.json(serializeArticle(row));
  });

  return app;
}
