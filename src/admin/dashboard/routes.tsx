import { Hono } from 'hono';
import type { Deps } from '../../deps';
import { accountCount } from '../accounts';
import { adminOf, type AdminEnv } from '../auth';
import { campaignHref, kindLabel, StatusBadge } from '../campaign-bits';
import { ColumnChart } from '../charts';
import { takeFlash } from '../flash';
import { DeskLayout } from '../layout';
import { formatInZone } from '../time';
import { bounceLevel, complaintBase, complaintLevel, COMPLAINT_HOLD, COMPLAINT_WARN, overall, percent, rate, BOUNCE_WARN } from './deliverability';
import { latestOutcomes, nextScheduled, readersByStatus, signupsPerWeek } from './queries';
import { sendingDomainState } from './sending-domain';

const statusWords = { active: 'active', pending: 'waiting for confirmation', unsubscribed: 'unsubscribed', bounced: 'bounced', complained: 'complained' } as const;
const monthDay = (ms: number) => new Date(ms).toISOString().slice(5, 10).replace('-', '/');

/** GET /admin: readers, sign-ups, the next send, the latest results and deliverability. */
export function dashboardRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  app.get('/', async (c) => {
    const admin = adminOf(c);
    const zone = deps.config.siteTimezone;
    const [readers, weeks, next, outcomes, domain, accounts] = await Promise.all([
      readersByStatus(deps.db),
      signupsPerWeek(deps.db, { now: deps.now(), weeks: 12 }),
      nextScheduled(deps.db),
      latestOutcomes(deps.db, 5),
      sendingDomainState(deps),
      admin.accountId === null ? accountCount(deps.db) : Promise.resolve(1),
    ]);
    const total = overall(outcomes);
    return c.html(
      <DeskLayout title="Dashboard" siteName={deps.config.siteName} section="dashboard" admin={admin} flash={takeFlash(c)}>
        <h1>Dashboard</h1>
        {accounts === 0 && (
          <p class="flash warn">
            You are signed in with the admin token. <a href="/admin/accounts">Create the first owner account</a>, then give each editor their own.
          </p>
        )}
        <div class="grid">
          <section class="card" aria-labelledby="readers-h">
            <h2 id="readers-h">Readers</h2>
            <ul class="figures">
              {(Object.keys(statusWords) as (keyof typeof statusWords)[]).map((s) => (
                <li>
                  <strong>{readers[s].toLocaleString('en')}</strong>
                  <span>{statusWords[s]}</span>
                </li>
              ))}
            </ul>
          </section>
          <section class="card" aria-labelledby="next-h">
            <h2 id="next-h">Next send</h2>
            {next ? (
              <p>
                <a href={campaignHref(next)}>{next.subject}</a>
                <br />
                <span class="muted">{formatInZone(next.scheduledAt!, zone)}</span>
              </p>
            ) : (
              <p class="muted">Nothing is scheduled.</p>
            )}
            <p class="actions" style="margin-top:.5rem">
              <a class="button secondary" href="/admin/digest">
                This week’s digest
              </a>
              <a class="button secondary" href="/admin/campaigns/new">
                New appeal or campaign
              </a>
            </p>
          </section>
        </div>

        <section class="card" aria-labelledby="signups-h" style="margin-top:1.25rem">
          <h2 id="signups-h">Sign-ups per week</h2>
          <p class="muted small">The last 12 weeks, weeks starting Monday (UTC). {weeks.reduce((s, w) => s + w.count, 0)} in all.</p>
          {weeks.every((w) => w.count === 0) && <p class="muted">No sign-ups in these 12 weeks yet. Put the footer form on the site’s articles to start.</p>}
          <ColumnChart
            id="signups"
            title="Sign-ups per week, last 12 weeks"
            bars={weeks.map((w) => ({ label: monthDay(w.start), value: w.count, tip: `Week of ${new Date(w.start).toISOString().slice(0, 10)}: ${w.count} sign-ups` }))}
          />
        </section>

        <section class="card" aria-labelledby="deliver-h">
          <h2 id="deliver-h">Deliverability</h2>
          {outcomes.length === 0 ? (
            <p class="muted">No campaign has been sent yet.</p>
          ) : (
            <p>
              Over the last {outcomes.length} campaigns: complaints{' '}
              <strong class={`level-${total.complaintLevel}`}>{percent(total.complaints)}</strong>, bounces{' '}
              <strong class={`level-${total.bounceLevel}`}>{percent(total.bounces)}</strong>.{' '}
              {total.complaintLevel === 'bad'
                ? 'Complaints are at or above 0.3%: Gmail and Yahoo start refusing mail from senders there, and Broadside holds further appeals. Send less often, and only to readers who asked.'
                : total.complaintLevel === 'warn'
                  ? 'Complaints are above 0.1%, the rate Gmail and Yahoo ask senders to stay under. Look at which campaign drew them.'
                  : 'Within Gmail’s and Yahoo’s limits.'}
            </p>
          )}
          <p class="muted small">
            Gmail and Yahoo: keep spam complaints under {percent(COMPLAINT_WARN, 1)}, never reach {percent(COMPLAINT_HOLD, 1)}. Bounces: keep under {percent(BOUNCE_WARN, 0)} (common guidance).
          </p>
          {domain && (
            <p>
              Sending domain <strong>{domain.name}</strong>:{' '}
              {domain.status ? <strong class={`level-${domain.status === 'verified' ? 'ok' : 'bad'}`}>{domain.status}</strong> : <strong class="level-bad">unknown</strong>}
              {domain.status && domain.status !== 'verified' && ' — finish its DNS records in Resend, or mail will not be delivered.'}
              {domain.error && <span class="muted"> — {domain.error}</span>}
            </p>
          )}
        </section>

        <section class="card" aria-labelledby="latest-h">
          <h2 id="latest-h">Latest campaigns</h2>
          {outcomes.length === 0 ? (
            <p class="muted">
              Nothing sent yet. <a href="/admin/digest">Build this week’s digest</a>.
            </p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col" class="num">Delivered</th>
                    <th scope="col" class="num">Readers who clicked</th>
                    <th scope="col" class="num">Unsubscribes</th>
                    <th scope="col" class="num">Bounces</th>
                    <th scope="col" class="num">Complaints</th>
                  </tr>
                </thead>
                <tbody>
                  {outcomes.map((o) => {
                    const complaints = rate(o.complained, complaintBase(o));
                    const bounces = rate(o.bounced, o.sent);
                    return (
                      <tr>
                        <td>
                          <a href={`/admin/campaigns/${o.id}/results`}>{o.subject}</a>
                          <br />
                          <span class="muted small">
                            {kindLabel(o.kind)} · <StatusBadge status={o.status} />
                            {o.startedAt && ` · ${formatInZone(o.startedAt, zone)}`}
                          </span>
                        </td>
                        <td class="num">{o.delivered > 0 ? o.delivered.toLocaleString('en') : `${o.sent.toLocaleString('en')} sent`}</td>
                        <td class="num">{o.clickers.toLocaleString('en')}</td>
                        <td class="num">{o.unsubscribes.toLocaleString('en')}</td>
                        <td class={`num level-${bounceLevel(bounces)}`}>{percent(bounces)}</td>
                        <td class={`num level-${complaintLevel(complaints)}`}>{percent(complaints)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </DeskLayout>,
    );
  });
  return app;
}
