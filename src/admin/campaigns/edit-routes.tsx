import { Hono, type Context } from 'hono';
import { getArticlesByIds, listArticles } from '../../articles/queries';
import { createSchema, patchSchemas } from '../../campaigns/content';
import { createCampaign, editCampaign } from '../../campaigns/create';
import { listCampaigns } from '../../campaigns/queries';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { parseOr400, readBody } from '../../http/read-body';
import { markdownToHtml } from '../../../emails/_components/markdown';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { campaignHref, kindLabel, StatusBadge, whenOf } from '../campaign-bits';
import { DigestArticles, DigestContentForm } from '../digest/editor';
import { deskAction, redirectWith, refusal, takeFlash } from '../flash';
import { DeskLayout } from '../layout';
import { AppealForm, CustomForm } from './editors';
import { contentInput, unsaved } from './form-input';
import { loadCampaign, str } from './load';
import { CampaignStatusPanel } from './status-panel';
import { CampaignHeader } from './tabs';

/** /admin/campaigns: the list, new appeals and custom campaigns, and each campaign's editor. */
export function campaignEditRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const zone = deps.config.siteTimezone;

  app.get('/', async (c) => {
    const admin = adminOf(c);
    const rows = await listCampaigns(deps.db, { limit: 100, offset: 0 });
    return c.html(
      <DeskLayout title="Campaigns" siteName={deps.config.siteName} section="campaigns" admin={admin} flash={takeFlash(c)}>
        <h1>Campaigns</h1>
        {hasRole(admin, 'editor') && (
          <p class="actions" style="margin-top:0">
            <a class="button" href="/admin/campaigns/new?kind=appeal">
              New appeal
            </a>
            <a class="button secondary" href="/admin/campaigns/new?kind=custom">
              New custom campaign (MJML)
            </a>
            <a class="button secondary" href="/admin/digest">
              This week’s digest
            </a>
          </p>
        )}
        <div class="card table-wrap">
          {rows.length === 0 ? (
            <p class="muted">No campaigns yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Subject</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <a href={campaignHref(r)}>{r.subject}</a>
                    </td>
                    <td>{kindLabel(r.kind)}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td class="small">{whenOf(r, zone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </DeskLayout>,
    );
  });

  app.get('/new', (c) => {
    const admin = requireRole(c, 'editor');
    const kind = c.req.query('kind') === 'custom' ? 'custom' : 'appeal';
    const Form = kind === 'custom' ? CustomForm : AppealForm;
    return c.html(
      <DeskLayout title={kind === 'custom' ? 'New custom campaign' : 'New appeal'} siteName={deps.config.siteName} section="campaigns" admin={admin} flash={takeFlash(c)} script>
        <h1>{kind === 'custom' ? 'New custom campaign' : 'New appeal'}</h1>
        <Form admin={admin} canEdit action="/admin/campaigns" isNew />
      </DeskLayout>,
    );
  });

  app.post('/', async (c) => {
    const admin = requireRole(c, 'editor');
    const { data } = await readBody(c);
    const kind = data.kind === 'custom' ? 'custom' : 'appeal';
    try {
      const input = parseOr400(createSchema, { kind, ...contentInput(kind, data) });
      const campaign = await createCampaign(deps, input);
      return redirectWith(c, campaignHref(campaign), { kind: 'ok', text: 'Draft created. Preview it, then check and send.' });
    } catch (err) {
      // The form comes back with what was typed (a designer's MJML is not lost) and the reason.
      const flash = refusal(err);
      const Form = kind === 'custom' ? CustomForm : AppealForm;
      return c.html(
        <DeskLayout title={kind === 'custom' ? 'New custom campaign' : 'New appeal'} siteName={deps.config.siteName} section="campaigns" admin={admin} flash={flash} script>
          <h1>{kind === 'custom' ? 'New custom campaign' : 'New appeal'}</h1>
          <Form admin={admin} campaign={unsaved(kind, data)} canEdit action="/admin/campaigns" isNew />
        </DeskLayout>,
        400,
      );
    }
  });

  app.get('/:id', async (c) => {
    const admin = adminOf(c);
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const canEdit = campaign.status === 'draft' && hasRole(admin, 'editor');
    let body;
    if (campaign.status !== 'draft') {
      body = await CampaignStatusPanel({ deps, admin, campaign });
    } else if (campaign.kind === 'digest') {
      const ids = campaign.content.kind === 'digest' ? campaign.content.articleIds : [];
      const [articles, recent] = await Promise.all([getArticlesByIds(deps.db, ids), listArticles(deps.db, { limit: 40, offset: 0 })]);
      body = (
        <div class="two">
          <DigestArticles admin={admin} campaign={campaign} articles={articles} recent={recent.rows} canEdit={canEdit} />
          <DigestContentForm admin={admin} campaign={campaign} canEdit={canEdit} />
        </div>
      );
    } else {
      const Form = campaign.kind === 'custom' ? CustomForm : AppealForm;
      body = <Form admin={admin} campaign={campaign} canEdit={canEdit} action={`/admin/campaigns/${campaign.id}/content`} />;
    }
    return c.html(
      <DeskLayout title={campaign.subject} siteName={deps.config.siteName} section={campaign.kind === 'digest' ? 'digest' : 'campaigns'} admin={admin} flash={takeFlash(c)} script refresh={campaign.status === 'sending' ? 10 : undefined}>
        <CampaignHeader campaign={campaign} tab="edit" zone={zone} />
        {body}
      </DeskLayout>,
    );
  });

  app.post('/:id/content', async (c) => {
    const admin = requireRole(c, 'editor');
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const { data } = await readBody(c);
    try {
      const input = parseOr400(patchSchemas[campaign.kind], contentInput(campaign.kind, data));
      await editCampaign(deps, campaign, input);
      return redirectWith(c, campaignHref(campaign), { kind: 'ok', text: 'Saved.' });
    } catch (err) {
      const flash = refusal(err);
      if (campaign.kind === 'digest' || campaign.status !== 'draft') return redirectWith(c, campaignHref(campaign), flash);
      // An appeal's letter or a designer's MJML comes back as typed, with the reason.
      const Form = campaign.kind === 'custom' ? CustomForm : AppealForm;
      const typed = { ...unsaved(campaign.kind, data), id: campaign.id, createdAt: campaign.createdAt } as Campaign;
      return c.html(
        <DeskLayout title={campaign.subject} siteName={deps.config.siteName} section="campaigns" admin={admin} flash={flash} script>
          <CampaignHeader campaign={campaign} tab="edit" zone={zone} />
          <Form admin={admin} campaign={typed} canEdit action={`/admin/campaigns/${campaign.id}/content`} />
        </DeskLayout>,
        400,
      );
    }
  });

  // The live preview's Markdown, rendered as the email renders it, for a sandboxed iframe: for a
  // draft, and for a new appeal before its first save (nothing is stored either way).
  app.post('/markdown-preview', async (c) => {
    requireRole(c, 'editor');
    return markdownPreview(c, (await readBody(c)).data);
  });
  app.post('/:id/markdown-preview', async (c) => {
    requireRole(c, 'editor');
    await loadCampaign(deps, c.req.param('id'));
    return markdownPreview(c, (await readBody(c)).data);
  });

  app.post('/:id/articles/add', async (c) => {
    requireRole(c, 'editor');
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const { data } = await readBody(c);
    return deskAction(c, campaignHref(campaign), async () => {
      const id = Number(str(data.articleId));
      const ids = digestIds(campaign);
      if (!Number.isSafeInteger(id) || ids.includes(id)) return redirectWith(c, campaignHref(campaign), { kind: 'warn', text: 'Choose an article that is not in the digest yet.' });
      await editCampaign(deps, campaign, { articleIds: [...ids, id] });
      return redirectWith(c, campaignHref(campaign), { kind: 'ok', text: 'Article added at the end.' });
    });
  });

  app.post('/:id/articles/:articleId/:move{up|down|remove|feature}', async (c) => {
    requireRole(c, 'editor');
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const move = c.req.param('move');
    const articleId = Number(c.req.param('articleId'));
    return deskAction(c, campaignHref(campaign), async () => {
      const ids = [...digestIds(campaign)];
      const i = ids.indexOf(articleId);
      if (i < 0) return redirectWith(c, campaignHref(campaign), { kind: 'warn', text: 'That article is not in this digest.' });
      const content = campaign.content.kind === 'digest' ? campaign.content : null;
      let featuredId = content?.featuredId ?? null;
      if (move === 'up' && i > 0) [ids[i - 1], ids[i]] = [ids[i]!, ids[i - 1]!];
      if (move === 'down' && i < ids.length - 1) [ids[i + 1], ids[i]] = [ids[i]!, ids[i + 1]!];
      if (move === 'remove') {
        ids.splice(i, 1);
        if (featuredId === articleId) featuredId = null;
      }
      if (move === 'feature') featuredId = articleId;
      await editCampaign(deps, campaign, { articleIds: ids, featuredId });
      const words = { up: 'Moved up.', down: 'Moved down.', remove: 'Removed from the digest.', feature: 'Now the featured article.' } as const;
      return redirectWith(c, `${campaignHref(campaign)}#articles-h`, { kind: 'ok', text: words[move as keyof typeof words] });
    });
  });
  return app;
}

/** The Markdown as the email renders it; its own CSP allows no script (the iframe is sandboxed too). */
function markdownPreview(c: Context, data: Record<string, unknown>) {
  const markdown = str(data.markdown)?.slice(0, 50_000) ?? '';
  c.header('Content-Security-Policy', "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; frame-ancestors 'none'");
  return c.html(`<!doctype html><meta charset="utf-8"><body style="font:16px/1.5 -apple-system,Segoe UI,Roboto,sans-serif;margin:12px;color:#1b1b19">${markdownToHtml(markdown)}</body>`);
}

const digestIds = (c: Campaign) => (c.content.kind === 'digest' ? c.content.articleIds : []);
