import { Hono } from 'hono';
import { deliveryCounts } from '../campaigns/queries';
import { serializeCampaign } from '../campaigns/serialize';
import type { Deps } from '../deps';
import { buildWeeklyDigest } from './weekly';

/** POST /admin/api/digests/weekly: build this week's digest now, as the schedule would. */
export function digestRoutes(deps: Deps) {
  const app = new Hono();
  app.post('/weekly', async (c) => {
    const result = await buildWeeklyDigest(deps);
    if (!result.created) {
      const campaign = result.campaign ? serializeCampaign(result.campaign, await deliveryCounts(deps.db, result.campaign.id)) : null;
      // 200, not an error: "nothing to do" is a normal answer, and it says why.
      return c.json({ created: false, reason: result.reason, campaign });
    }
    return c.json(
      { created: true, articleCount: result.articleCount, campaign: serializeCampaign(result.campaign, await deliveryCounts(deps.db, result.campaign.id)) },
      201,
    );
  });
  return app;
}
