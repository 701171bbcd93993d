import { deliveryCounts } from '../../campaigns/queries';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';

/** Resend's batch endpoint takes 100 emails a request; SEND_RATE is requests per second. */
const PER_REQUEST = 100;

export interface Progress {
  status: Campaign['status'];
  reason: string | null;
  /** Whether an editor paused it (or the system did, and then the reason says what to do). */
  pausedBySystem: boolean;
  audience: number;
  sent: number;
  failed: number;
  skipped: number;
  queued: number;
  /** Sent, failed and skipped over the audience, 0 to 1. */
  done: number;
  /** Seconds left at SEND_RATE, while sending. */
  etaSeconds: number | null;
}

/**
 * The reason a campaign is paused or failed. Another part of Broadside may record a structured
 * paused reason on the campaign; whichever field exists is shown, statusReason otherwise.
 */
export function reasonOf(c: Campaign): string | null {
  const any = c as unknown as Record<string, unknown>;
  for (const key of ['pausedReason', 'pauseReason', 'statusReason']) {
    const v = any[key];
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

export async function progressOf(deps: Pick<Deps, 'db' | 'config'>, c: Campaign): Promise<Progress> {
  const counts = await deliveryCounts(deps.db, c.id);
  const audience = c.audienceCount ?? counts.audience;
  const finished = counts.sent + counts.failed + counts.skipped;
  const reason = reasonOf(c);
  return {
    status: c.status,
    reason,
    pausedBySystem: c.status === 'paused' && !!reason && !/by an editor/i.test(reason),
    audience,
    sent: counts.sent,
    failed: counts.failed,
    skipped: counts.skipped,
    queued: counts.queued,
    done: audience > 0 ? Math.min(1, finished / audience) : c.status === 'sent' ? 1 : 0,
    etaSeconds: c.status === 'sending' ? Math.ceil(Math.ceil(counts.queued / PER_REQUEST) / deps.config.sendRate) : null,
  };
}

export function etaWords(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return 'less than a minute left';
  const m = Math.round(seconds / 60);
  return m < 90 ? `about ${m} minute${m === 1 ? '' : 's'} left` : `about ${Math.round(m / 60)} hours left`;
}
