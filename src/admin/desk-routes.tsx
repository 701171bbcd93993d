import { Hono } from 'hono';
import type { Deps } from '../deps';
import { accountRoutes } from './accounts/routes';
import { articleDeskRoutes } from './articles/routes';
import { deskScript } from './assets/desk-script';
import { auditRoutes } from './audit/routes';
import type { AdminEnv } from './auth';
import { campaignEditRoutes } from './campaigns/edit-routes';
import { dashboardRoutes } from './dashboard/routes';
import { digestDeskRoutes } from './digest/routes';
import { previewRoutes } from './preview/routes';
import { importDeskRoutes } from './readers/import-routes';
import { readerListRoutes } from './readers/list-routes';
import { readerPageRoutes } from './readers/reader-routes';
import { resultRoutes } from './results/routes';
import { sendRoutes } from './send/routes';

/** Every page of the editors' desk, mounted at /admin behind requireAdmin and the CSRF check. */
export function deskRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.route('/', dashboardRoutes(deps));
  app.route('/digest', digestDeskRoutes(deps));
  app.route('/', resultRoutes(deps));
  app.route('/articles', articleDeskRoutes(deps));
  app.route('/campaigns', previewRoutes(deps));
  app.route('/campaigns', sendRoutes(deps));
  app.route('/campaigns', campaignEditRoutes(deps));
  app.route('/readers/import', importDeskRoutes(deps));
  app.route('/readers', readerListRoutes(deps));
  app.route('/readers', readerPageRoutes(deps));
  app.route('/accounts', accountRoutes(deps));
  app.route('/audit', auditRoutes(deps));
  app.get('/assets/desk.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(deskScript);
  });
  return app;
}
