import { and, desc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { campaigns } from '../../db/schema';
import type { Deps } from '../../deps';
import { isoWeek } from '../../digests/iso-week';
import { buildWeeklyDigest } from '../../digests/weekly';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { campaignHref, StatusBadge, whenOf } from '../campaign-bits';
import { redirectWith, takeFlash } from '../flash';
import { DeskLayout, PostButton } from '../layout';

/**
 * /admin/digest: this week's digest. The schedule's draft shows up here too (it is the same
 * row); without one, an editor builds it now, as the schedule would.
 */
export function digestDeskRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();

  app.get('/', async (c) => {
    const admin = adminOf(c);
    const week = isoWeek(deps.now());
    const thisWeek = await deps.db.select().from(campaigns).where(eq(campaigns.isoWeek, week)).get();
    const drafts = await deps.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.kind, 'digest'), eq(campaigns.status, 'draft')))
      .orderBy(desc(campaigns.id))
      .limit(10);
    const others = drafts.filter((d) => d.id !== thisWeek?.id);
    return c.html(
      <DeskLayout title="Weekly digest" siteName={deps.config.siteName} section="digest" admin={admin} flash={takeFlash(c)}>
        <h1>Weekly digest</h1>
        <section class="card" aria-labelledby="week-h">
          <h2 id="week-h">This week ({week})</h2>
          {thisWeek ? (
            <p>
              <a href={campaignHref(thisWeek)}>{thisWeek.subject}</a> <StatusBadge status={thisWeek.status} />
              <br />
              <span class="muted small">{whenOf(thisWeek, deps.config.siteTimezone)}</span>
            </p>
          ) : (
            <>
              <p>There is no digest for this week yet. Building it takes the articles published since the last digest{deps.config.digestMode === 'auto' ? ' and, because DIGEST_MODE is auto, sends it at once' : ''}.</p>
              {hasRole(admin, 'editor') && <PostButton admin={admin} action="/admin/digest/build" label="Build this week’s draft" />}
            </>
          )}
        </section>
        {others.length > 0 && (
          <section class="card" aria-labelledby="drafts-h">
            <h2 id="drafts-h">Other digest drafts</h2>
            <ul>
              {others.map((d) => (
                <li>
                  <a href={campaignHref(d)}>{d.subject}</a> <span class="muted small">{d.isoWeek}</span>
                </li>
              ))}
            </ul>
          </section>
        )}
      </DeskLayout>,
    );
  });

  app.post('/build', async (c) => {
    requireRole(c, 'editor');
    const result = await buildWeeklyDigest(deps);
    if (result.created) return redirectWith(c, campaignHref(result.campaign), { kind: 'ok', text: `This week’s draft is ready with ${result.articleCount} articles.` });
    if (result.campaign) return redirectWith(c, campaignHref(result.campaign), { kind: 'warn', text: result.reason });
    return redirectWith(c, '/admin/digest', { kind: 'warn', text: result.reason });
  });
  return app;
}
