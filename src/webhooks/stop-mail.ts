import type { Deps } from '../deps';
import { normaliseEmail } from '../subscribers/email-address';
import { findSubscriberByEmail, updateSubscriber } from '../subscribers/queries';
import type { ResendEvent } from './events';

type StopDeps = Pick<Deps, 'db'>;

export interface StopReason {
  status: 'bounced' | 'complained';
  /** Goes into the reader's event history: why, and from which email. */
  detail: Record<string, unknown>;
}

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 500)}…` : s);

/**
 * Whether an event means "never mail this reader again": a permanent bounce, a spam complaint,
 * or Resend refusing to send because the address is on its suppression list (it bounced or
 * complained before). Transient and undetermined bounces do not: the next email may arrive.
 */
export function stopReason(e: ResendEvent): StopReason | null {
  const base = { providerId: e.data.email_id };
  switch (e.type) {
    case 'email.bounced':
      if (e.data.bounce.type !== 'Permanent') return null;
      return {
        status: 'bounced',
        detail: { ...base, reason: 'permanent bounce', bounceType: e.data.bounce.subType ?? null, message: clip(e.data.bounce.message ?? '') },
      };
    case 'email.complained':
      return { status: 'complained', detail: { ...base, reason: 'marked the email as spam' } };
    case 'email.suppressed': {
      // Without a reason (Resend's documented example has only message and type), the address
      // is on a suppression list all the same: it is not mailed again, as for a bounce.
      const why = e.data.suppressed.reason ?? e.data.suppressed.type ?? 'suppression list';
      const complained = e.data.suppressed.reason === 'previous_complaint';
      return {
        status: complained ? 'complained' : 'bounced',
        detail: { ...base, reason: `suppressed by Resend (${why})`, message: clip(e.data.suppressed.message ?? '') },
      };
    }
    default:
      return null;
  }
}

/**
 * Stops all mail to a reader: the status leaves the audience query and every form path for
 * good, and the history says why. Readers already bounced or complained keep their first reason
 * (and get no second event). Unsubscribed readers are marked too, so a dead or complaining
 * address is never sent a confirmation request again.
 */
export async function stopMail(
  deps: StopDeps,
  who: { subscriberId: number } | { to: string[] },
  reason: StopReason,
  campaignId: number | null,
  at: number,
): Promise<boolean> {
  let subscriberId: number | undefined;
  if ('subscriberId' in who) subscriberId = who.subscriberId;
  else {
    // Broadside sends every email to one address; take the first that is a reader's.
    for (const raw of who.to) {
      const email = normaliseEmail(/<([^>]+)>/.exec(raw)?.[1] ?? raw);
      const found = email ? await findSubscriberByEmail(deps.db, email) : undefined;
      if (found) {
        subscriberId = found.id;
        break;
      }
    }
  }
  if (subscriberId === undefined) return false;
  const row = await updateSubscriber(
    deps.db,
    subscriberId,
    { status: reason.status },
    { type: reason.status, detail: { ...reason.detail, campaignId }, at },
    ['active', 'pending', 'unsubscribed'],
  );
  return row !== null;
}
