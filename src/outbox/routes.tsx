import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { webSafeHtml } from '../campaigns/web-safe-html';
import { CAMPAIGN_HTML_CSP } from '../http/campaign-csp';
import { parseOr400 } from '../http/read-body';
import { listOutbox } from '../mailer/outbox-queries';
import { adminOf, type AdminEnv } from '../admin/auth';
import { DeskLayout } from '../admin/layout';
import { withNoScript } from '../admin/preview/routes';

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200, 'limit is at most 200').default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

type OutboxRow = Awaited<ReturnType<typeof listOutbox>>[number];

const serialize = (m: OutboxRow) => ({
  id: m.id,
  from: m.from,
  to: m.to,
  subject: m.subject,
  html: m.html,
  text: m.text,
  headers: m.headers,
  tags: m.tags,
  createdAt: new Date(m.createdAt).toISOString(),
});

/** GET /admin/api/outbox (JSON) for scripts and tests. Mounted behind requireAdmin. */
export function outboxApiRoutes(deps: Deps) {
  const app = new Hono();
  app.get('/', async (c) => {
    const page = parseOr400(pageSchema, c.req.query());
    const rows = await listOutbox(deps.db, page);
    return c.json({ messages: rows.map(serialize), mailer: deps.mailer.kind });
  });
  return app;
}

/**
 * GET /admin/outbox: what the outbox mailer "sent", newest first, each email shown as the reader
 * would see it. The email is shown in a sandboxed iframe (no scripts, no same-origin access),
 * and its links open in a new tab, so a confirmation link can be followed from here.
 */
export function outboxPageRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    const rows = await listOutbox(deps.db, { limit: 25, offset: 0 });
    c.header('Content-Security-Policy', CAMPAIGN_HTML_CSP);
    return c.html(
      <DeskLayout title="Outbox" siteName={deps.config.siteName} section="outbox" admin={adminOf(c)}>
        <h1>Outbox</h1>
        <p class="muted">
          {deps.mailer.kind === 'outbox'
            ? 'No RESEND_API_KEY is set, so emails are kept here instead of being sent. Newest first.'
            : 'Emails now go through Resend; these are the ones kept before it was configured.'}
        </p>
        {rows.length === 0 && <p class="card">No emails yet. Subscribe from the sample article to see one.</p>}
        {rows.map((m) => (
          <article class="card outbox-message">
            <h2 style="font-size:1.1rem;margin:0 0 .25rem">{m.subject}</h2>
            <p class="muted" style="margin:0 0 .75rem">
              To {m.to} · {new Date(m.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC
            </p>
            <iframe
              title={`Email: ${m.subject}`}
              sandbox="allow-popups allow-popups-to-escape-sandbox"
              srcdoc={withNoScript(webSafeHtml(m.html).replace('<head>', '<head><base target="_blank">'))}
              style="width:100%;height:520px;border:1px solid var(--line);background:#fff"
            ></iframe>
            <details>
              <summary>Plain text and headers</summary>
              <pre style="white-space:pre-wrap">{m.text}</pre>
              <pre style="white-space:pre-wrap">{JSON.stringify(m.headers, null, 2)}</pre>
            </details>
          </article>
        ))}
      </DeskLayout>,
    );
  });
  return app;
}
