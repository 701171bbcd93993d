import { Hono } from 'hono';
import * as z from 'zod';
import { campaignStatuses } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { CAMPAIGN_HTML_CSP } from '../http/campaign-csp';
import { idParam } from '../http/fields';
import { parseOr400, readJson } from '../http/read-body';
import { webSafeHtml } from './web-safe-html';
import { createSchema, patchSchemas, testSchema } from './content';
import { createCampaign, editCampaign } from './create';
import { deliveryCounts, getCampaign, listCampaigns } from './queries';
import { serializeCampaign } from './serialize';
import { testSendCampaign } from './test-send';
import { renderGeneric } from './web-render';
import { campaignStats } from '../stats/campaign-stats';

const listSchema = z.object({
  status: z.enum(campaignStatuses).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200, 'limit is at most 200').default(50),
});

type JsonContext = { json: (body: unknown, status?: 200 | 201 | 202) => Response };

/** The campaign a path's :id names, or 404. */
export async function loadCampaign(deps: Pick<Deps, 'db'>, raw: string) {
  const campaign = await getCampaign(deps.db, idParam(raw, 'No campaign with this id.'));
  if (!campaign) throw new AppError('not_found', 'No campaign with this id.');
  return campaign;
}

/** A campaign as the admin API shows it: the row and its ledger counts. */
export async function showCampaign(deps: Pick<Deps, 'db'>, c: JsonContext, id: number, status: 200 | 201 | 202 = 200) {
  const campaign = (await getCampaign(deps.db, id))!;
  return c.json(serializeCampaign(campaign, await deliveryCounts(deps.db, id)), status);
}

/**
 * /admin/api/campaigns: create, read, edit, preview, test and stats. Sending and the editor's
 * moves (send, pause, resume, cancel) are src/sending/routes.ts, mounted at the same path.
 * Mounted behind requireAdmin.
 */
export function campaignRoutes(deps: Deps) {
  const app = new Hono();

  const load = (raw: string) => loadCampaign(deps, raw);
  const show = (c: JsonContext, id: number, status?: 200 | 201 | 202) => showCampaign(deps, c, id, status);

  app.get('/', async (c) => {
    const q = parseOr400(listSchema, c.req.query());
    const rows = await listCampaigns(deps.db, { status: q.status, limit: q.limit, offset: (q.page - 1) * q.limit });
    const items = await Promise.all(rows.map(async (r) => serializeCampaign(r, await deliveryCounts(deps.db, r.id))));
    return c.json({ campaigns: items, page: q.page, limit: q.limit });
  });

  app.post('/', async (c) => {
    const input = parseOr400(createSchema, await readJson(c));
    const campaign = await createCampaign(deps, input);
    return show(c, campaign.id, 201);
  });

  app.get('/:id', async (c) => show(c, (await load(c.req.param('id'))).id));

  app.patch('/:id', async (c) => {
    const campaign = await load(c.req.param('id'));
    const input = parseOr400(patchSchemas[campaign.kind], await readJson(c));
    await editCampaign(deps, campaign, input);
    return show(c, campaign.id);
  });

  app.get('/:id/preview', async (c) => {
    const campaign = await load(c.req.param('id'));
    const format = c.req.query('format') ?? 'html';
    if (format !== 'html' && format !== 'text') throw new AppError('bad_request', 'format must be "html" or "text".');
    const rendered = await renderGeneric(deps, campaign);
    // The preview is an email, not part of the admin: no scripts can run in it.
    c.header('Content-Security-Policy', CAMPAIGN_HTML_CSP);
    return format === 'text' ? c.text(rendered.text) : c.html(webSafeHtml(rendered.html));
  });

  app.post('/:id/test', async (c) => {
    const campaign = await load(c.req.param('id'));
    const { to } = parseOr400(testSchema, await readJson(c));
    const results = await testSendCampaign(deps, campaign, to);
    const failed = results.filter((r) => !r.ok);
    return c.json({ results }, failed.length === results.length ? 502 : 200);
  });

  app.get('/:id/stats', async (c) => c.json(await campaignStats(deps, await load(c.req.param('id')))));
  return app;
}
