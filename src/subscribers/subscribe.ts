import type { Topic } from '../db/schema';
import type { Deps } from '../deps';
import { sendAlreadySubscribed, sendConfirmation } from './notify';
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
 * emails go out in the background.
 */
export async function requestSubscription(deps: SubscribeDeps, req: SubscribeRequest): Promise<void> {
  const at = deps.now();
  const topics = req.topics?.length ? req.topics : (['digest', 'appeals'] as Topic[]);
  const existing = await findSubscriberByEmail(deps.db, req.email);

  if (!existing) {
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
    );
    // null: another request created the same address a moment ago; treat it as that one.
    const row = created ?? (await findSubscriberByEmail(deps.db, req.email));
    if (row) deps.defer(sendConfirmation(deps, row, row.consentAt ?? at));
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
      deps.defer(sendConfirmation(deps, existing, existing.consentAt ?? at));
      return;
    case 'active':
      deps.defer(sendAlreadySubscribed(deps, existing));
      return;
    case 'unsubscribed': {
      // A new consent: a fresh pending period, so old confirmation links stay dead.
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
      );
      if (row) deps.defer(sendConfirmation(deps, row, at));
      return;
    }
    case 'bounced':
    case 'complained':
      // Suppressed addresses are never mailed again from a form; an editor can look into it.
      return;
  }
}
