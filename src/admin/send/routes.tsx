import { Hono } from 'hono';
import { cancelCampaign, pauseCampaign, resumeCampaign, sendCampaign } from '../../sending/lifecycle';
import { testSendCampaign } from '../../campaigns/test-send';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { readBody } from '../../http/read-body';
import { recordAudit } from '../audit';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { campaignHref } from '../campaign-bits';
import { loadCampaign, str } from '../campaigns/load';
import { progressOf } from '../campaigns/progress';
import { CampaignHeader } from '../campaigns/tabs';
import { deskAction, redirectWith, takeFlash } from '../flash';
import { Csrf, DeskLayout } from '../layout';
import { runPreflight } from '../preflight/checks';
import type { AdminPrincipal } from '../sessions';
import { datetimeLocal, formatInZone, zonedToUtc } from '../time';
import { Checklist } from './checklist';

const acksOf = (data: Record<string, unknown>) => new Set((Array.isArray(data.ack) ? data.ack : [data.ack]).filter((v): v is string => typeof v === 'string'));

/** /admin/campaigns/:id/send and the actions on a send: test, schedule, send, pause, resume, cancel. */
export function sendRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const zone = deps.config.siteTimezone;

  const page = async (admin: AdminPrincipal, campaign: Campaign, flash: ReturnType<typeof takeFlash>, confirm?: { at: number | null; acks: Set<string> }) => {
    const canSend = hasRole(admin, 'editor') && (campaign.status === 'draft' || campaign.status === 'scheduled');
    const preflight = canSend ? await runPreflight(deps, campaign) : null;
    const base = `/admin/campaigns/${campaign.id}`;
    const acks = confirm?.acks ?? new Set<string>();
    return (
      <DeskLayout title={`Check & send: ${campaign.subject}`} siteName={deps.config.siteName} section={campaign.kind === 'digest' ? 'digest' : 'campaigns'} admin={admin} flash={flash}>
        <CampaignHeader campaign={campaign} tab="send" zone={zone} />
        {!canSend && (
          <p class="flash warn">
            {hasRole(admin, 'editor') ? `This campaign is ${campaign.status}: see its ` : 'Your account can read the desk but not send. See the '}
            <a href={campaignHref(campaign)}>status</a> and <a href={`${base}/results`}>results</a>.
          </p>
        )}
        {preflight && confirm && (
          <section class="card" aria-labelledby="confirm-h" style="border-color:var(--accent)">
            <h2 id="confirm-h">
              {confirm.at === null ? `Send to ${preflight.audience.toLocaleString('en')} readers now?` : `Schedule for ${preflight.audience.toLocaleString('en')} readers?`}
            </h2>
            <p>
              “{campaign.subject}” goes to <strong>{preflight.audience.toLocaleString('en')} readers</strong>
              {confirm.at === null ? ' as soon as you confirm' : ` at ${formatInZone(confirm.at, zone)}`}. A sent email cannot be taken back.
            </p>
            <form method="post" action={`${base}/send`} class="actions">
              <Csrf admin={admin} />
              <input type="hidden" name="step" value="confirm" />
              {confirm.at !== null && <input type="hidden" name="at_utc" value={String(confirm.at)} />}
              {[...acks].map((a) => (
                <input type="hidden" name="ack" value={a} />
              ))}
              <button type="submit">{confirm.at === null ? `Yes, send to ${preflight.audience.toLocaleString('en')} readers` : 'Yes, schedule it'}</button>
              <a class="button secondary" href={`${base}/send`}>
                Go back
              </a>
            </form>
          </section>
        )}
        {preflight && !confirm && (
          <div class="two">
            <section class="card" aria-labelledby="pre-h">
              <h2 id="pre-h">Preflight</h2>
              <Checklist preflight={preflight} acknowledged={acks} />
              <form id="send-form" method="post" action={`${base}/send`}>
                <Csrf admin={admin} />
                <input type="hidden" name="step" value="review" />
                <fieldset style="border:0;padding:0;margin:1rem 0 0">
                  <legend class="visually-hidden">When</legend>
                  <label class="check">
                    <input type="radio" name="when" value="now" checked={campaign.status !== 'scheduled'} /> Send now
                  </label>
                  <label class="check">
                    <input type="radio" name="when" value="later" checked={campaign.status === 'scheduled'} /> Schedule
                  </label>
                  <label for="at">
                    Date and time, {zone} <span class="hint">Shown in UTC too before you confirm.</span>
                  </label>
                  <input id="at" name="at" type="datetime-local" value={datetimeLocal(campaign.scheduledAt ?? deps.now() + 3600_000, zone)} />
                </fieldset>
                <div class="actions">
                  <button type="submit">Review and send…</button>
                </div>
              </form>
            </section>
            <section class="card" aria-labelledby="test-h">
              <h2 id="test-h">Test-send</h2>
              <p class="muted small">Marked “[Test]”, not counted, with generic links.</p>
              <form method="post" action={`${base}/test`}>
                <Csrf admin={admin} />
                <label for="to">
                  To <span class="hint">Up to 10 addresses, separated by commas.</span>
                </label>
                <input id="to" name="to" type="text" inputmode="email" autocomplete="email" value={admin.accountId !== null ? admin.actor : ''} required />
                <div class="actions">
                  <button type="submit" class="secondary">
                    Send a test
                  </button>
                </div>
              </form>
            </section>
          </div>
        )}
      </DeskLayout>
    );
  };

  app.get('/:id/send', async (c) => {
    const campaign = await loadCampaign(deps, c.req.param('id'));
    return c.html(await page(adminOf(c), campaign, takeFlash(c)));
  });

  app.post('/:id/send', async (c) => {
    const admin = requireRole(c, 'editor');
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const back = `/admin/campaigns/${campaign.id}/send`;
    const { data } = await readBody(c, { arrays: ['ack'] });
    return deskAction(c, back, async () => {
      const acks = acksOf(data);
      let at: number | null = null;
      if (data.step === 'confirm') at = str(data.at_utc) ? Number(data.at_utc) : null;
      else if (data.when === 'later') {
        at = zonedToUtc(str(data.at) ?? '', zone);
        if (at === null) throw new AppError('bad_request', 'Give a date and time to schedule it.');
      }
      if (at !== null && (!Number.isSafeInteger(at) || at <= deps.now())) throw new AppError('bad_request', 'That time has passed: choose a time in the future, or send now.');
      const preflight = await runPreflight(deps, campaign);
      if (!preflight.ready(acks)) {
        return redirectWith(c, back, { kind: 'bad', text: 'Some checks fail: fix them, or tick “send anyway” where that is allowed.' });
      }
      if (data.step !== 'confirm') return c.html(await page(admin, campaign, null, { at, acks }));
      const after = await sendCampaign(deps, campaign, at ?? undefined);
      const scheduled = after.status === 'scheduled';
      await recordAudit(deps.db, {
        actor: admin.actor,
        action: scheduled ? 'campaign.scheduled' : 'campaign.sent',
        target: `campaign ${campaign.id}`,
        detail: { subject: campaign.subject, audience: preflight.audience, ...(scheduled ? { at: new Date(after.scheduledAt!).toISOString() } : {}), ...(acks.size ? { acknowledged: [...acks] } : {}) },
        at: deps.now(),
      });
      const text = scheduled
        ? `Scheduled for ${formatInZone(after.scheduledAt!, zone)}.`
        : after.status === 'paused'
          ? `Not sent: ${after.statusReason ?? 'paused.'}`
          : `Sending to ${preflight.audience.toLocaleString('en')} readers.`;
      return redirectWith(c, campaignHref(campaign), { kind: after.status === 'paused' ? 'bad' : 'ok', text });
    });
  });

  app.post('/:id/test', async (c) => {
    const admin = requireRole(c, 'editor');
    const campaign = await loadCampaign(deps, c.req.param('id'));
    const back = `/admin/campaigns/${campaign.id}/send`;
    const { data } = await readBody(c);
    return deskAction(c, back, async () => {
      const to = (str(data.to) ?? '').split(/[,;\s]+/).filter(Boolean);
      if (to.length === 0) throw new AppError('bad_request', 'Give at least one address.');
      if (to.length > 10) throw new AppError('bad_request', 'At most 10 test addresses.');
      const results = await testSendCampaign(deps, campaign, to);
      await recordAudit(deps.db, { actor: admin.actor, action: 'campaign.test_sent', target: `campaign ${campaign.id}`, detail: { to: results.map((r) => r.to) }, at: deps.now() });
      const failed = results.filter((r) => !r.ok);
      return redirectWith(
        c,
        back,
        failed.length
          ? { kind: 'bad', text: `Test not sent to ${failed.map((f) => `${f.to} (${f.error})`).join(', ')}.` }
          : { kind: 'ok', text: `Test sent to ${results.map((r) => r.to).join(', ')}.` },
      );
    });
  });

  const lifecycle = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign } as const;
  const done = { pause: 'Paused: nothing more goes out until you resume.', resume: 'Resumed.', cancel: 'Cancelled: nothing more will be sent.' } as const;
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(`/:id/${action}`, async (c) => {
      const admin = requireRole(c, 'editor');
      const campaign = await loadCampaign(deps, c.req.param('id'));
      return deskAction(c, campaignHref(campaign), async () => {
        await lifecycle[action](deps, campaign);
        await recordAudit(deps.db, { actor: admin.actor, action: `campaign.${action === 'cancel' ? 'cancelled' : action === 'pause' ? 'paused' : 'resumed'}`, target: `campaign ${campaign.id}`, at: deps.now() });
        return redirectWith(c, campaignHref(campaign), { kind: 'ok', text: done[action] });
      });
    });
  }

  // What the desk script polls while a campaign sends.
  app.get('/:id/progress', async (c) => {
    const campaign = await loadCampaign(deps, c.req.param('id'));
    return c.json(await progressOf(deps, campaign));
  });
  return app;
}
