import { Hono } from 'hono';
import { limitBody } from './http/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { sql } from 'drizzle-orm';
import { requireAdmin } from './admin/auth';
import { apiGuard } from './admin/api-guard';
import { csrfProtection } from './admin/csrf';
import { adminHeaders } from './admin/headers';
import { deskRoutes } from './admin/desk-routes';
import { loginRoutes, logoutRoutes } from './admin/login-routes';
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
import { deskImportLimits } from './admin/readers/import-upload';
import { readerListRoutes } from './subscribers/reader-list-routes';
import { confirmRoutes } from './subscribers/confirm-routes';
import { preferencesRoutes } from './subscribers/preferences-routes';
import { subscribeRoutes } from './subscribers/subscribe-routes';
import { linkHelpRoutes, unsubscribeRoutes } from './subscribers/unsubscribe-routes';
import { archiveRoutes } from './archive/routes';
import { statsRoutes } from './stats/routes';
import { trackingRoutes } from './tracking/routes';
import { webhookRoutes } from './webhooks/routes';

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

  // Admin. The protective headers come first, so every /admin answer carries them, the sign-in
  // page and every refusal included; then the sign-in page (the one route without auth); then
  // auth, body limits, CSRF for cookie-authenticated writes, and the API's role check and audit.
  app.use('/admin/*', adminHeaders());
  app.route('/', loginRoutes(deps));
  // '/admin/*' also matches '/admin' itself.
  app.use('/admin/*', async (c, next) => (c.req.path === '/admin/login' ? next() : requireAdmin(deps)(c, next)));
  // Imports bring their own, larger limit (a 100,000-reader export is about 20 MB): the API's in
  // its routes, the desk's import page here, before the CSRF check reads its form.
  const adminLimit = limitBody(1024 * 1024);
  app.use('/admin/*', (c, next) =>
    c.req.path.startsWith('/admin/api/subscribers/import') ? next() : (deskImportLimits.get(c.req.path) ?? adminLimit)(c, next),
  );
  app.use('/admin/*', csrfProtection(deps));
  app.use('/admin/api/*', apiGuard(deps));
  app.route('/admin', logoutRoutes(deps));
  app.route('/admin', deskRoutes(deps));
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
