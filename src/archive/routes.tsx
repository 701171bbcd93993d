import { Hono } from 'hono';
import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import { withdrawnAmong } from '../articles/withdrawn';
import { renderCampaign } from '../campaigns/render-campaign';
import { genericPersonalisation, renderGeneric } from '../campaigns/web-render';
import { webSafeHtml } from '../campaigns/web-safe-html';
import { campaigns } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { campaignHtmlCsp } from '../http/campaign-csp';
import { Layout } from '../pages/layout';
import { getCampaign } from '../campaigns/queries';
import { idParam } from '../http/fields';

/** Campaigns that readers have received: the only ones the public may see. */
const published = ['sending', 'sent', 'paused'] as const;

/**
 * The web archive: sent digests as pages, and "view in browser" for any campaign a reader got.
 * Pages come from the stored render with generic links, so nothing personal is in them, made
 * web-safe (no script, handler or javascript: URL) and served with a CSP that forbids script.
 */
export function archiveRoutes(deps: Deps) {
  const app = new Hono();
  app.use('/archive', campaignHtmlCsp());
  app.use('/archive/*', campaignHtmlCsp());

  app.get('/archive', async (c) => {
    const rows = await deps.db
      .select({ id: campaigns.id, subject: campaigns.subject, startedAt: campaigns.startedAt })
      .from(campaigns)
      .where(and(eq(campaigns.kind, 'digest'), inArray(campaigns.status, [...published]), isNotNull(campaigns.startedAt)))
      .orderBy(desc(campaigns.startedAt))
      .limit(200);
    return c.html(
      <Layout title="Newsletter archive" siteName={deps.config.siteName} siteUrl={deps.config.siteUrl} noindex={false}>
        <h1>The weekly digest: past issues</h1>
        {rows.length === 0 ? (
          <p>No issues yet.</p>
        ) : (
          <ul>
            {rows.map((r) => (
              <li>
                <a href={`/archive/${r.id}`}>{r.subject}</a>{' '}
                <span class="muted">{new Date(r.startedAt!).toISOString().slice(0, 10)}</span>
              </li>
            ))}
          </ul>
        )}
      </Layout>,
    );
  });

  app.get('/archive/:id', async (c) => {
    const id = idParam(c.req.param('id'), 'There is no published issue at this address.');
    const campaign = await getCampaign(deps.db, id);
    if (!campaign || !(published as readonly string[]).includes(campaign.status)) {
      throw new AppError('not_found', 'There is no published issue at this address.');
    }
    // An issue quoting an article the site has since withdrawn is shown again without it.
    const gone = campaign.content.kind === 'digest' && (await withdrawnAmong(deps.db, campaign.content.articleIds)).length > 0;
    const rendered = gone
      ? await renderCampaign(deps, campaign, genericPersonalisation(deps.config, campaign.id))
      : await renderGeneric(deps, campaign);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(webSafeHtml(rendered.html));
  });
  return app;
}
