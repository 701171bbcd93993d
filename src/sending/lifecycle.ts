import { sql } from 'drizzle-orm';
import { releaseHolds } from '../campaigns/complaint-guard';
import { getCampaign } from '../campaigns/queries';
import { canMove, moveCampaign, type CampaignMove, type MoveValues } from '../campaigns/status';
import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { startSend } from './start-send';

type LifecycleDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'jobs'>;

/** The editor's actions (admin API and CLI); the moves themselves are in campaigns/status.ts. */
type EditorAction = 'schedule' | 'start' | 'pause' | 'resume' | 'cancel';

const verbs: Record<EditorAction, string> = { schedule: 'scheduled', start: 'sent', pause: 'paused', resume: 'resumed', cancel: 'cancelled' };

const illegal = (action: EditorAction, c: Campaign) =>
  new AppError('conflict', `A ${c.status} campaign cannot be ${verbs[action]}.`, { status: c.status });

async function guarded(deps: LifecycleDeps, campaign: Campaign, action: EditorAction, move: CampaignMove, args: { reason?: string; values?: MoveValues } = {}) {
  if (!canMove(move, campaign.status)) throw illegal(action, campaign);
  const row = await moveCampaign(deps.db, campaign.id, move, { now: deps.now(), ...args });
  if (row) return row;
  throw illegal(action, (await getCampaign(deps.db, campaign.id)) ?? campaign);
}

/**
 * POST /:id/send. Without `at` (or with a time already past) the send starts now: the ledger is
 * written and the send loop picks it up. With a future `at` the campaign is scheduled.
 */
export async function sendCampaign(deps: LifecycleDeps, campaign: Campaign, at?: number): Promise<Campaign> {
  if (at !== undefined && at > deps.now()) {
    return guarded(deps, campaign, 'schedule', 'schedule', { values: { scheduledAt: at } });
  }
  if (!canMove('start', campaign.status)) throw illegal('start', campaign);
  return startSend(deps, campaign.id);
}

/** Stops claiming new chunks; a chunk already in flight finishes. */
export const pauseCampaign = (deps: LifecycleDeps, c: Campaign, reason = 'Paused by an editor.') => guarded(deps, c, 'pause', 'pause', { reason });

/**
 * Back to where it was paused from: sending if the ledger exists, scheduled otherwise. Chunks
 * that were backing off may go at once.
 */
export async function resumeCampaign(deps: LifecycleDeps, c: Campaign): Promise<Campaign> {
  const move = c.startedAt === null ? 'resumeScheduled' : 'resumeSending';
  if (c.topic === 'appeals' && canMove(move, c.status)) await releaseHolds(deps);
  const row = await guarded(deps, c, 'resume', move, { values: { scheduledAt: c.scheduledAt ?? deps.now() } });
  if (move === 'resumeSending') {
    await deps.db.run(sql`update send_chunks set not_before = null where campaign_id = ${c.id} and status = 'pending'`);
    // Jobs taken while it was paused were dropped (Workers): queue the rest again.
    await deps.jobs?.chunksReady(c.id);
  }
  return row;
}

/** Cancels: nothing more is sent. Readers not yet mailed are marked skipped, so the numbers add up. */
export async function cancelCampaign(deps: LifecycleDeps, c: Campaign): Promise<Campaign> {
  const now = deps.now();
  const row = await guarded(deps, c, 'cancel', 'cancel', { reason: 'Cancelled by an editor.', values: { finishedAt: now } });
  // Chunks already tried keep their outcome; only untried ones are dropped.
  await deps.db.batch([
    deps.db.run(sql`update deliveries set status = 'skipped', error = 'campaign cancelled'
      where campaign_id = ${c.id} and status = 'queued'
        and chunk in (select chunk from send_chunks where campaign_id = ${c.id} and status = 'pending' and first_tried_at is null)`),
    deps.db.run(sql`update send_chunks set status = 'failed', last_error = 'campaign cancelled'
      where campaign_id = ${c.id} and status = 'pending' and first_tried_at is null`),
  ]);
  return row;
}
