import type { Deps } from '../deps';
import { AppError } from '../errors';
import { liftTombstone } from './erasure';
import { CONFIRM_MAX_AGE_SECONDS } from './links';
import { deliverSoon } from './notify';
import { getSubscriber, updateSubscriber, type Subscriber } from './queries';

type ConfirmDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'defer' | 'secrets'>;

export type ConfirmState = 'ready' | 'already_active';

/**
 * Checks a confirmation link without changing anything (GET shows a button; mail scanners
 * follow links). A link is good for a week, and only for the pending request it was made for:
 * after an unsubscribe, an old confirmation link cannot bring the reader back.
 */
export async function checkConfirmToken(deps: ConfirmDeps, token: string): Promise<{ subscriber: Subscriber; state: ConfirmState }> {
  const claims = await deps.signer.verify(token, 'confirm', {
    maxAgeSeconds: CONFIRM_MAX_AGE_SECONDS,
    nowSeconds: Math.floor(deps.now() / 1000),
  });
  if (!claims) throw new AppError('not_found', 'This confirmation link is not valid or has expired. Please subscribe again.');
  const subscriber = await getSubscriber(deps.db, claims.subscriberId);
  if (!subscriber) throw new AppError('not_found', 'This confirmation link is not valid or has expired. Please subscribe again.');
  if (subscriber.status === 'active') return { subscriber, state: 'already_active' };
  const requestedAt = Math.floor((subscriber.consentAt ?? 0) / 1000);
  if (subscriber.status !== 'pending' || claims.issuedAt < requestedAt) {
    throw new AppError('not_found', 'This confirmation link is no longer valid. Please subscribe again.');
  }
  return { subscriber, state: 'ready' };
}

/** POST /confirm/:token: makes the reader active and sends the welcome email. Idempotent. */
export async function confirmSubscription(deps: ConfirmDeps, token: string, ip?: string) {
  const { subscriber, state } = await checkConfirmToken(deps, token);
  if (state === 'already_active') return subscriber;
  const at = deps.now();
  const row = await updateSubscriber(
    deps.db,
    subscriber.id,
    { status: 'active', confirmedAt: at, confirmIp: ip ?? null },
    { type: 'confirmed', ip, at },
    ['pending'],
    // The welcome email is written down with the confirmation, and sent from the queue.
    { kind: 'welcome', issuedAt: at },
  );
  if (!row) {
    // A double click: the other request confirmed first.
    const now = await getSubscriber(deps.db, subscriber.id);
    if (now?.status === 'active') return now;
    throw new AppError('conflict', 'This subscription changed while confirming. Please try the link again.');
  }
  // An erased reader who signed up again themself is an ordinary reader from now on.
  await liftTombstone(deps, row.email);
  deliverSoon(deps);
  return row;
}
