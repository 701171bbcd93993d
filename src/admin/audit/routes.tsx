import { Hono } from 'hono';
import type { Deps } from '../../deps';
import { listAudit } from '../audit';
import { requireRole, type AdminEnv } from '../auth';
import { DeskLayout } from '../layout';
import { formatInZone } from '../time';

const PAGE = 100;

/** /admin/audit: who did what, newest first (owners only). */
export function auditRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    const admin = requireRole(c, 'owner');
    const before = Number(c.req.query('before'));
    const rows = await listAudit(deps.db, { limit: PAGE, before: Number.isSafeInteger(before) && before > 0 ? before : undefined });
    const zone = deps.config.siteTimezone;
    return c.html(
      <DeskLayout title="Audit log" siteName={deps.config.siteName} section="audit" admin={admin}>
        <h1>Audit log</h1>
        <p class="muted">Sends, schedules, cancels, imports, exports, erasures and account changes, newest first. Times in {zone}.</p>
        <div class="card table-wrap">
          {rows.length === 0 ? (
            <p class="muted">Nothing has been recorded yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Target</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <time datetime={new Date(r.createdAt).toISOString()}>{formatInZone(r.createdAt, zone)}</time>
                    </td>
                    <td>{r.actor}</td>
                    <td>
                      <code>{r.action}</code>
                    </td>
                    <td>{r.target}</td>
                    <td class="small">{r.detail ? JSON.stringify(r.detail) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {rows.length === PAGE && (
          <p>
            <a href={`/admin/audit?before=${rows[rows.length - 1]!.id}`}>Older entries</a>
          </p>
        )}
      </DeskLayout>,
    );
  });
  return app;
}
