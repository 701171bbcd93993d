import { Hono } from 'hono';
import type { Deps } from '../../deps';
import { signupsBySource } from '../../stats/signups';
import { adminOf, type AdminEnv } from '../auth';
import { BarList } from '../charts';
import { loadCampaign } from '../campaigns/load';
import { CampaignHeader } from '../campaigns/tabs';
import { percent } from '../dashboard/deliverability';
import { campaignResults } from './campaign-results';
import { DeskLayout } from '../layout';

const DAY_MS = 24 * 3600 * 1000;
const isDate = (v: string | undefined) => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

/** Per-campaign results, and sign-ups per source article over a chosen period. */
export function resultRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();

  app.get('/campaigns/:id/results', async (c) => {
    const admin = adminOf(c);
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const s = await campaignResults(deps, campaign);
    const figures: [string, number, string?][] = [
      ['audience', s.audience],
      ['sent', s.sent],
      ['delivered', s.delivered, s.rates.delivered === null ? undefined : percent(s.rates.delivered, 1)],
      ['bounced', s.bounced, percent(s.rates.bounced)],
      ['complained', s.complained, percent(s.rates.complained)],
      ['unsubscribed', s.unsubscribes, percent(s.rates.unsubscribed)],
      ['readers who clicked', s.clickers, percent(s.rates.clicked, 1)],
    ];
    return c.html(
      <DeskLayout title={`Results: ${campaign.subject}`} siteName={deps.config.siteName} section={campaign.kind === 'digest' ? 'digest' : 'campaigns'} admin={admin}>
        <CampaignHeader campaign={campaign} tab="results" zone={deps.config.siteTimezone} />
        <section class="card" aria-labelledby="numbers-h">
          <h2 id="numbers-h">What happened</h2>
          <ul class="figures" data-results>
            {figures.map(([label, n, r]) => (
              <li data-figure={label}>
                <strong>{n.toLocaleString('en')}</strong>
                <span>
                  {label}
                  {r && r !== '–' ? ` · ${r}` : ''}
                </span>
              </li>
            ))}
          </ul>
          <p class="muted small">
            Rates are over {s.base} emails{s.base === 'sent' ? ' (no delivery events have arrived: is the Resend webhook set up?)' : ''}. Unsubscribes count readers who left with this campaign’s link.
            {s.pendingEvents > 0 && ` ${s.pendingEvents} provider events are still waiting to be matched.`}
          </p>
          {s.complaintHold && (
            <p class="flash bad">
              Complaints passed {percent(s.complaintHold.threshold, 1)}: further appeals are held until an editor resumes one.
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="links-h">
          <h2 id="links-h">Clicks per link</h2>
          {!s.clicks.tracked ? (
            <p class="muted">Click tracking was off for this send (TRACK_CLICKS).</p>
          ) : s.clicks.links.length === 0 ? (
            <p class="muted">No links were tracked.</p>
          ) : (
            <>
              <p class="muted small">Readers who clicked each link (unique). {s.clicks.total.toLocaleString('en')} clicks in all.</p>
              <BarList title="Readers who clicked each link" bars={s.clicks.links.map((l) => ({ label: l.url, value: l.unique }))} />
            </>
          )}
        </section>
      </DeskLayout>,
    );
  });

  app.get('/results', async (c) => {
    const admin = adminOf(c);
    const now = deps.now();
    const qFrom = c.req.query('from');
    const qTo = c.req.query('to');
    // Whole UTC days, today included by default.
    const to = isDate(qTo) ? Date.parse(qTo!) + DAY_MS : now - (now % DAY_MS) + DAY_MS;
    const from = isDate(qFrom) ? Date.parse(qFrom!) : to - 30 * DAY_MS;
    const bad = from >= to;
    const rows = bad ? [] : await signupsBySource(deps.db, { from, to });
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return c.html(
      <DeskLayout title="Sign-ups by article" siteName={deps.config.siteName} section="results" admin={admin}>
        <h1>Sign-ups by article</h1>
        <form method="get" action="/admin/results" class="card actions" style="align-items:flex-end">
          <div>
            <label for="from" style="margin-top:0">
              From
            </label>
            <input id="from" name="from" type="date" value={day(from)} />
          </div>
          <div>
            <label for="to" style="margin-top:0">
              To (including)
            </label>
            <input id="to" name="to" type="date" value={day(to - DAY_MS)} />
          </div>
          <button type="submit" class="secondary">
            Show
          </button>
        </form>
        {bad && <p class="flash bad">“From” must be before “to”.</p>}
        <section class="card table-wrap" aria-labelledby="src-h">
          <h2 id="src-h">
            {rows.reduce((s, r) => s + r.signups, 0)} sign-ups from {day(from)} to {day(to - DAY_MS)}
          </h2>
          {rows.length === 0 ? (
            <p class="muted">No sign-ups in this period.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Where they signed up</th>
                  <th scope="col" class="num">Sign-ups</th>
                  <th scope="col" class="num">Confirmed</th>
                  <th scope="col" class="num">Still active</th>
                </tr>
              </thead>
              <tbody>
                {rows.slice(0, 200).map((r) => (
                  <tr>
                    <td style="overflow-wrap:break-word;min-width:10rem">{r.article ? <a href={r.source ?? '#'}>{r.article.title}</a> : r.source ?? <span class="muted">unknown</span>}</td>
                    <td class="num">{r.signups}</td>
                    <td class="num">{r.confirmed}</td>
                    <td class="num">{r.active}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </DeskLayout>,
    );
  });
  return app;
}
