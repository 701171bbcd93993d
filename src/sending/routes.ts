import { Hono } from 'hono';
import { sendSchema } from '../campaigns/content';
import { loadCampaign, showCampaign } from '../campaigns/routes';
import type { Deps } from '../deps';
import { parseOr400, readJson } from '../http/read-body';
import { cancelCampaign, pauseCampaign, resumeCampaign, sendCampaign } from './lifecycle';

/**
 * /admin/api/campaigns/:id/send|pause|resume|cancel: the editor's moves of a campaign, which
 * start or touch its send ledger. Mounted behind requireAdmin at the same path as campaignRoutes.
 */
export function campaignSendRoutes(deps: Deps) {
  const app = new Hono();
  const load = (raw: string) => loadCampaign(deps, raw);

  app.post('/:id/send', async (c) => {
    const campaign = await load(c.req.param('id'));
    const raw = (c.req.header('content-length') ?? '0') === '0' && !c.req.header('content-type') ? {} : await readJson(c);
    const { at } = parseOr400(sendSchema, raw);
    const after = await sendCampaign(deps, campaign, at === undefined ? undefined : Date.parse(at));
    return showCampaign(deps, c, after.id, 202);
  });

  app.post('/:id/pause', async (c) => showCampaign(deps, c, (await pauseCampaign(deps, await load(c.req.param('id')))).id));
  app.post('/:id/resume', async (c) => showCampaign(deps, c, (await resumeCampaign(deps, await load(c.req.param('id')))).id));
  app.post('/:id/cancel', async (c) => showCampaign(deps, c, (await cancelCampaign(deps, await load(c.req.param('id')))).id));
  return app;
}
