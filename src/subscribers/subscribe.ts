import type { Topic } from '../db/schema';
import type { Deps } from '../deps';
import { rateLimitInBatch } from '../rate-limit';
import { deliverSoon, hitMailboxLimit, mailboxLimit, queueAlreadySubscribed, queueConfirmation, recordSuppressed, sendClaimedSoon } from './notify';
import { admitSubscriber, findSubscriberByEmail, insertSubscriber, updateSubscriber, type Subscriber } from './queries';
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
  if (existing) return requestAgain(deps, existing, req, topics, at);
  // The reader, the mailbox's daily count and their confirmation (if within it) in one batch:
  // an accepted sign-up always has its email written down before the answer, whatever
  // happens to this process afterwards. The email is written claimed by this request, which
  // sends it after answering (its lease is what lets another sender take over if this
  // process dies first).
  const { values, event, queue } = await newReader(deps, req, topics, at);
  await created(deps, req, topics, at, await insertSubscriber(deps.db, values, event, queue));
}

/**
 * requestSubscription for a sign-up within a limit counted in the same batch (POST /subscribe's
 * per-IP count, when no Turnstile check has to come between): the count, the address's lookup
 * and a new reader with their event and confirmation are one batch, one D1 round trip. False,
 * with only the count written, when the limit says no.
 */
export async function requestSubscriptionWithin(deps: SubscribeDeps, req: SubscribeRequest, admit: ReturnType<typeof rateLimitInBatch>): Promise<boolean> {
  const at = deps.now();
  const topics = req.topics?.length ? req.topics : (['digest', 'appeals'] as Topic[]);
  const { values, event, queue } = await newReader(deps, req, topics, at);
  const outcome = await admitSubscriber(deps.db, admit, values, event, queue);
  if (!outcome.admitted) return false;
  if (outcome.existing) await requestAgain(deps, outcome.existing, req, topics, at);
  else await created(deps, req, topics, at, outcome.created);
  return true;
}

/** A new reader's row, first event and confirmation (claimed by this request, within the mailbox's daily limit). */
async function newReader(deps: SubscribeDeps, req: SubscribeRequest, topics: Topic[], at: number) {
  return {
    values: {
      email: req.email,
      name: req.name ?? null,
      status: 'pending' as const,
      ...topicColumns(topics),
      ...consentRecord(req, at),
      createdAt: at,
      updatedAt: at,
    },
    event: { type: 'subscribe_requested' as const, detail: { source: req.source ?? null, topics }, ip: req.ip, at },
    queue: { kind: 'confirm' as const, issuedAt: at, claimMs: deps.config.mailLeaseMs, limit: rateLimitInBatch(deps.db, await mailboxLimit(deps, req.email)) },
  };
}

/** After the new reader's batch: send their confirmation, or note the limit, or treat a lost race as a repeat. */
async function created(deps: SubscribeDeps, req: SubscribeRequest, topics: Topic[], at: number, outcome: Awaited<ReturnType<typeof insertSubscriber>>) {
  if (outcome) {
    if (outcome.mail) sendClaimedSoon(deps, outcome.mail, outcome.subscriber);
    else if (outcome.allowed === false) await recordSuppressed(deps, outcome.subscriber.id);
    return;
  }
  // Another request created the same mailbox a moment ago: treat this as a repeat of it.
  const row = await findSubscriberByEmail(deps.db, req.email);
  if (row) await requestAgain(deps, row, req, topics, at);
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
