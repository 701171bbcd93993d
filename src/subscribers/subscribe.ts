import type { Topic } from '../db/schema';
import type { Deps } from '../deps';
import { rateLimitInBatch } from '../rate-limit';
import { deliverSoon, hitMailboxLimit, mailboxLimit, queueAlreadySubscribed, queueConfirmation, recordSuppressed, sendClaimedSoon } from './notify';
import { findSubscriberByEmail, insertSubscriber, updateSubscriber, type Subscriber } from './queries';
import { topicColumns } from './topics';

/** Version of the consent sentence shown by the footer form; stored with every sign-up. */
export const CONSENT_WORDING_VERSION = 'footer-2026-11';

export interface SubscribeRequest {
  email: string;
  name?: string;
  topics?: Topic[];
  source?: string;
  ip?: string;
  userAgent?: string;
  consentWording?: string;
}

type SubscribeDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'defer'>;

const consentRecord = (req: SubscribeRequest, at: number) => ({
  consentAt: at,
  consentIp: req.ip ?? null,
  consentUserAgent: req.userAgent?.slice(0, 500) ?? null,
  consentSource: req.source ?? null,
  consentWording: req.consentWording ?? CONSENT_WORDING_VERSION,
});

/**
 * A sign-up from the footer form (or an editor adding someone as pending). Double opt-in: the
 * reader is stored as pending and sent a confirmation link. The outcome is deliberately the same
 * for a caller whatever the address's state, so the form cannot be used to learn who subscribes;
 * emails go out in the background. `found` is the reader the address reached a moment ago, when
 * the caller looked it up already (POST /subscribe, in the batch that counts the IP's sign-ups).
 */
export async function requestSubscription(deps: SubscribeDeps, req: SubscribeRequest, found?: { existing: Subscriber | undefined }): Promise<void> {
  const at = deps.now();
  const topics = req.topics?.length ? req.topics : (['digest', 'appeals'] as Topic[]);
  const existing = found ? found.existing : await findSubscriberByEmail(deps.db, req.email);

  if (!existing) {
    // The reader, the mailbox's daily count and their confirmation (if within it) in one batch:
    // an accepted sign-up always has its email written down before the answer, whatever
    // happens to this process afterwards. The email is written claimed by this request, which
    // sends it after answering (its lease is what lets another sender take over if this
    // process dies first).
    const created = await insertSubscriber(
      deps.db,
      {
        email: req.email,
        name: req.name ?? null,
        status: 'pending',
        ...topicColumns(topics),
        ...consentRecord(req, at),
        createdAt: at,
        updatedAt: at,
      },
      { type: 'subscribe_requested', detail: { source: req.source ?? null, topics }, ip: req.ip, at },
      { kind: 'confirm', issuedAt: at, claimMs: deps.config.mailLeaseMs, limit: rateLimitInBatch(deps.db, await mailboxLimit(deps, req.email)) },
    );
    if (created) {
      if (created.mail) sendClaimedSoon(deps, created.mail, created.subscriber);
      else if (created.allowed === false) await recordSuppressed(deps, created.subscriber.id);
      return;
    }
    // Another request created the same mailbox a moment ago: treat this as a repeat of it.
    const row = await findSubscriberByEmail(deps.db, req.email);
    if (row) await requestAgain(deps, row, req, topics, at);
    return;
  }
  await requestAgain(deps, existing, req, topics, at);
}

async function requestAgain(
  deps: SubscribeDeps,
  existing: Subscriber,
  req: SubscribeRequest,
  topics: Topic[],
  at: number,
) {
  switch (existing.status) {
    case 'pending':
      // Resend the link for the same pending request (earlier links stay valid).
      await queueConfirmation(deps, existing, existing.consentAt ?? at);
      return;
    case 'active':
      await queueAlreadySubscribed(deps, existing);
      return;
    case 'unsubscribed': {
      // A new consent: a fresh pending period, so old confirmation links stay dead. The
      // confirmation is queued in the batch that makes the reader pending again.
      const allowed = await hitMailboxLimit(deps, existing.email);
      const row = await updateSubscriber(
        deps.db,
        existing.id,
        {
          status: 'pending',
          name: req.name ?? existing.name,
          ...topicColumns(topics),
          ...consentRecord(req, at),
          confirmedAt: null,
          confirmIp: null,
        },
        { type: 'resubscribe_requested', detail: { source: req.source ?? null, topics }, ip: req.ip, at },
        ['unsubscribed'],
        allowed ? { kind: 'confirm', issuedAt: at } : undefined,
      );
      if (row && allowed) deliverSoon(deps);
      else if (row) await recordSuppressed(deps, row.id);
      return;
    }
    case 'bounced':
    case 'complained':
      // Suppressed addresses are never mailed again from a form; an editor can look into it.
      return;
  }
}
