import { Hono } from 'hono';
import { renderGeneric } from '../../campaigns/web-render';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { adminOf, type AdminEnv } from '../auth';
import { loadCampaign } from '../campaigns/load';
import { CampaignHeader } from '../campaigns/tabs';
import { takeFlash } from '../flash';
import { DeskLayout } from '../layout';

/**
 * The email inside a sandboxed srcdoc iframe: `sandbox=""` gives it no script, no forms, no
 * same-origin access and no top navigation, whatever its HTML says; links open nothing. A CSP
 * without script is put in its head as well.
 */
const NO_SCRIPT = `<meta http-equiv="Content-Security-Policy" content="script-src 'none'; object-src 'none'; base-uri 'none'">`;
export const withNoScript = (html: string) => (/<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => h + NO_SCRIPT) : NO_SCRIPT + html);

export const EmailFrame = (props: { title: string; html: string; width: number }) => (
  <iframe title={props.title} sandbox="" srcdoc={withNoScript(props.html)} width={String(props.width)} style={`width:${props.width}px`}></iframe>
);

/** GET /admin/campaigns/:id/preview: 600 px and 375 px side by side, and the plain text. */
export function previewRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.get('/:id/preview', async (c) => {
    const admin = adminOf(c);
    const campaign = await loadCampaign(deps, c.req.param('id'));
    let rendered: { subject: string; html: string; text: string } | null = null;
    let problem: string | null = null;
    try {
      rendered = await renderGeneric(deps, campaign);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      problem = err.message;
    }
    return c.html(
      <DeskLayout title={`Preview: ${campaign.subject}`} siteName={deps.config.siteName} section={campaign.kind === 'digest' ? 'digest' : 'campaigns'} admin={admin} flash={takeFlash(c)}>
        <CampaignHeader campaign={campaign} tab="preview" zone={deps.config.siteTimezone} />
        {problem && (
          <p class="flash bad" role="alert">
            {problem}
          </p>
        )}
        {rendered && (
          <>
            <p class="muted">
              Inbox line: <strong>{rendered.subject}</strong>
              {campaign.preheader ? ` — ${campaign.preheader}` : ''}. Links here are the generic ones; each reader gets their own.
            </p>
            <div class="previews">
              <figure>
                <figcaption>Desktop, 600 px</figcaption>
                <EmailFrame title="The email at 600 pixels" html={rendered.html} width={600} />
              </figure>
              <figure>
                <figcaption>Phone, 375 px</figcaption>
                <EmailFrame title="The email at 375 pixels" html={rendered.html} width={375} />
              </figure>
            </div>
            <section class="card" aria-labelledby="text-h" style="margin-top:1.25rem">
              <h2 id="text-h">Plain-text part</h2>
              <pre class="text">{rendered.text}</pre>
            </section>
          </>
        )}
      </DeskLayout>,
    );
  });
  return app;
}
