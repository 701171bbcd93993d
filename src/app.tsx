import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'drizzle-orm';
import { requireAdmin } from './admin/auth';
import { adminHomeRoutes } from './admin/home-routes';
import { loginRoutes } from './admin/login-routes';
import type { Deps } from './deps';
import { demoRoutes } from './demo/routes';
import { embedRoutes } from './embed/routes';
import { AppError } from './errors';
import { campaignRoutes } from './campaigns/routes';
import { campaignSendRoutes } from './sending/routes';
import { digestRoutes } from './digests/routes';
import { articleRoutes } from './articles/routes';
import { onError } from './http/on-error';
import { outboxApiRoutes, outboxPageRoutes } from './outbox/routes';
import { subscriberAdminRoutes } from './subscribers/admin-routes';
import { subscriberImportRoutes } from './subscribers/import-routes';
import { readerListRoutes } from './subscribers/reader-list-routes';
import { confirmRoutes } from './subscribers/confirm-routes';
import { preferencesRoutes } from './subscribers/preferences-routes';
import { subscribeRoutes } from './subscribers/subscribe-routes';
import { linkHelpRoutes, unsubscribeRoutes } from './subscribers/unsubscribe-routes';
import { archiveRoutes } from './archive/routes';
import { statsRoutes } from './stats/routes';
import { trackingRoutes } from './tracking/routes';
import { webhookRoutes } from './webhooks/routes';

const tooLarge = () => {
  throw new AppError('payload_too_large', 'The request body is too large.');
};

/**
 * Builds the whole HTTP application from its dependencies. The only place routes are wired;
 * src/node/main.ts and src/worker.ts call it with what their runtime provides.
 */
export function createApp(deps: Deps) {
  const app = new Hono();
  app.onError(onError(deps));
  app.notFound(() => {
    throw new AppError('not_found', 'There is nothing at this address.');
  });
  // The embed form may be framed by the site and embed.js/css loaded from it, so the defaults
  // that forbid both are relaxed here; admin pages set their own frame protection below.
  app.use(secureHeaders({ xFrameOptions: false, crossOriginResourcePolicy: false, crossOriginEmbedderPolicy: false }));

  app.get('/healthz', async (c) => {
    try {
      await deps.db.run(sql`select 1`);
      return c.json({ ok: true });
    } catch (err) {
      deps.logger.error('health check failed', { error: String(err) });
      return c.json({ ok: false, error: 'database unavailable' }, 503);
    }
  });

  // Public, reader-facing.
  app.route('/', demoRoutes(deps));
  app.route('/', embedRoutes(deps));
  app.route('/', subscribeRoutes(deps));
  app.route('/', confirmRoutes(deps));
  app.route('/', unsubscribeRoutes(deps));
  app.route('/', preferencesRoutes(deps));
  app.route('/', linkHelpRoutes(deps));
  app.route('/', archiveRoutes(deps));
  app.route('/', trackingRoutes(deps));
  app.route('/', webhookRoutes(deps));

  // Admin: everything under /admin needs the token or a session, except the login page itself.
  app.route('/', loginRoutes(deps));
  app.use('/admin/*', async (c, next) => {
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
    await next();
  });
  // '/admin/*' also matches '/admin' itself.
  app.use('/admin/*', async (c, next) => (c.req.path === '/admin/login' ? next() : requireAdmin(deps)(c, next)));
  // Imports bring their own, larger limit (a 100,000-reader export is about 20 MB).
  const apiLimit = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge });
  app.use('/admin/api/*', (c, next) => (c.req.path.startsWith('/admin/api/subscribers/import') ? next() : apiLimit(c, next)));
  app.route('/admin', adminHomeRoutes(deps));
  app.route('/admin/outbox', outboxPageRoutes(deps));
  app.route('/admin/api/outbox', outboxApiRoutes(deps));
  app.route('/admin/api/subscribers/import', subscriberImportRoutes(deps));
  app.route('/admin/api/subscribers', readerListRoutes(deps));
  app.route('/admin/api/subscribers', subscriberAdminRoutes(deps));
  app.route('/admin/api/articles', articleRoutes(deps));
  app.route('/admin/api/campaigns', campaignRoutes(deps));
  app.route('/admin/api/campaigns', campaignSendRoutes(deps));
  app.route('/admin/api/digests', digestRoutes(deps));
  app.route('/admin/api/stats', statsRoutes(deps));
  return app;
}
