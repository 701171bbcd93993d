import { Hono } from 'hono';
import type { Deps } from '../../deps';
import { accountCount } from '../accounts';
import { adminOf, type AdminEnv } from '../auth';
import { takeFlash } from '../flash';
import { DeskLayout } from '../layout';

/** GET /admin: the dashboard. */
export function dashboardRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    const admin = adminOf(c);
    const noAccounts = admin.accountId === null && (await accountCount(deps.db)) === 0;
    return c.html(
      <DeskLayout title="Dashboard" siteName={deps.config.siteName} section="dashboard" admin={admin} flash={takeFlash(c)}>
        <h1>Dashboard</h1>
        {noAccounts && (
          <p class="flash warn">
            You are signed in with the admin token. <a href="/admin/accounts">Create the first owner account</a>, then give each editor their own.
          </p>
        )}
      </DeskLayout>,
    );
  });
  return app;
}
