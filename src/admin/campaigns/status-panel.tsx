import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { hasRole } from '../auth';
import { PostButton } from '../layout';
import type { AdminPrincipal } from '../sessions';
import { formatInZone } from '../time';
import { etaWords, progressOf } from './progress';

/**
 * A campaign past draft: progress with sent, failed and time left (updated by the desk script
 * from /progress, or by a refresh without it), pause, resume and cancel, and, when the system
 * paused it, why and what to do.
 */
export async function CampaignStatusPanel({ deps, admin, campaign }: { deps: Pick<Deps, 'db' | 'config'>; admin: AdminPrincipal; campaign: Campaign }) {
  const p = await progressOf(deps, campaign);
  const base = `/admin/campaigns/${campaign.id}`;
  const canAct = hasRole(admin, 'editor');
  const live = campaign.status === 'sending' || campaign.status === 'scheduled';
  return (
    <section class="card" aria-labelledby="progress-h" data-progress={live ? `${base}/progress` : undefined} data-status={campaign.status}>
      <h2 id="progress-h">Progress</h2>
      {campaign.status === 'scheduled' && campaign.scheduledAt && <p>Scheduled for {formatInZone(campaign.scheduledAt, deps.config.siteTimezone)}.</p>}
      {p.pausedBySystem && (
        <div class="flash bad" role="alert">
          <strong>Paused by Broadside:</strong> {p.reason}
          <br />
          Fix the cause, then press Resume: readers already mailed are not mailed again.
        </div>
      )}
      {campaign.status === 'failed' && p.reason && (
        <div class="flash bad" role="alert">
          <strong>Failed:</strong> {p.reason}
        </div>
      )}
      <div class="progress" role="progressbar" aria-label="Sent so far" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.done * 100)}>
        <span data-field="bar" style={`width:${(p.done * 100).toFixed(1)}%`}></span>
      </div>
      <ul class="figures" style="margin-top:.9rem">
        <li>
          <strong data-field="sent">{p.sent.toLocaleString('en')}</strong>
          <span>sent</span>
        </li>
        <li>
          <strong data-field="failed">{p.failed.toLocaleString('en')}</strong>
          <span>failed</span>
        </li>
        <li>
          <strong data-field="queued">{p.queued.toLocaleString('en')}</strong>
          <span>waiting</span>
        </li>
        <li>
          <strong data-field="audience">{p.audience.toLocaleString('en')}</strong>
          <span>audience</span>
        </li>
      </ul>
      <p class="muted" data-field="summary" role="status">
        {campaign.status === 'sending' ? etaWords(p.etaSeconds) : campaign.status === 'sent' ? 'Finished.' : `This campaign is ${campaign.status}.`}
      </p>
      {canAct && (
        <div class="actions">
          {(campaign.status === 'sending' || campaign.status === 'scheduled') && <PostButton admin={admin} action={`${base}/pause`} label="Pause" class="secondary" />}
          {campaign.status === 'paused' && <PostButton admin={admin} action={`${base}/resume`} label="Resume" />}
          {['scheduled', 'sending', 'paused'].includes(campaign.status) && <PostButton admin={admin} action={`${base}/cancel`} label="Cancel the send" class="danger" />}
          <a class="button secondary" href={`${base}/results`}>
            Results
          </a>
        </div>
      )}
    </section>
  );
}
