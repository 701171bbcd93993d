import { Hono } from 'hono';
import { count, eq } from 'drizzle-orm';
import { subscribers } from '../db/schema';
import type { Deps } from '../deps';
import { Layout } from '../pages/layout';

/** GET /admin: the editors' start page. */
export function adminHomeRoutes(deps: Deps) {
  const app = new Hono();
  app.get('/', async (c) => {
    const [active] = await deps.db.select({ n: count() }).from(subscribers).where(eq(subscribers.status, 'active'));
    const [pending] = await deps.db.select({ n: count() }).from(subscribers).where(eq(subscribers.status, 'pending'));
    return c.html(
      <Layout title="Admin" siteName={deps.config.siteName} siteUrl="/">
        <h1>Newsletter admin</h1>
        <p class="card">
          <strong>{active?.n ?? 0}</strong> active readers · <strong>{pending?.n ?? 0}</strong> waiting for confirmation
        </p>
        <ul>
          <li>
            <a href="/admin/outbox">Outbox</a> ({deps.mailer.kind === 'outbox' ? 'emails are kept here' : 'sending through Resend'})
          </li>
          <li>
            <a href="/demo/article">Sample article with the footer form</a>
          </li>
        </ul>
        <form method="post" action="/admin/logout">
          <button type="submit" class="secondary">
            Sign out
          </button>
        </form>
      </Layout>,
    );
  });
  return app;
}
