import type { Deps } from '../deps';
import { hitRateLimit, rateLimitKey, type RateLimit } from '../rate-limit';
import { deliverClaimed, deliverDueMail } from '../transactional/deliver';
import { queueMail, type QueuedMail } from '../transactional/queries';
import { mailboxKey } from './mailbox';
import { recordEvent, type Subscriber } from './queries';

type NotifyDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'defer'>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * The transactional emails of a reader's subscription. They are never sent from the request:
 * the request writes a row in the transactional queue (src/transactional/) before it answers,
 * and hands an immediate attempt to deps.defer, so the answer neither waits for the provider nor
 * reveals whether an address was known, and a crash after the answer loses nothing.
 */

/**
 * The daily limit on confirmation-type emails to one mailbox. Keyed on the mailbox (case and
 * +tag folded) so `Victim@`, `vIctim@` and `victim+1@` share one limit, and stored as a keyed
 * hash so the rate-limit table never holds an address.
 */
export async function mailboxLimit(deps: Pick<Deps, 'config' | 'signer' | 'now'>, email: string): Promise<RateLimit> {
  return {
    key: await rateLimitKey(deps.signer, 'mail', mailboxKey(email)),
    limit: deps.config.confirmEmailLimit,
    windowMs: DAY_MS,
    now: deps.now(),
  };
}

/** Whether this mailbox may get another confirmation-type email today; counts one. */
export async function hitMailboxLimit(deps: Pick<Deps, 'db' | 'config' | 'signer' | 'now'>, email: string): Promise<boolean> {
  const { allowed } = await hitRateLimit(deps.db, await mailboxLimit(deps, email));
  return allowed;
}

/** An email over the daily limit is recorded in the reader's history and not queued. */
export async function recordSuppressed(deps: Pick<Deps, 'db' | 'now'>, subscriberId: number) {
  await recordEvent(deps.db, {
    subscriberId,
    type: 'confirmation_suppressed',
    detail: { reason: 'daily limit for this address reached' },
    at: deps.now(),
  });
}

/** The limit, and the history entry when it says no. */
async function mailboxAllows(deps: NotifyDeps, subscriber: Subscriber): Promise<boolean> {
  if (await hitMailboxLimit(deps, subscriber.email)) return true;
  await recordSuppressed(deps, subscriber.id);
  return false;
}

/**
 * Starts sending what is queued now, after the response (Node: tracked promise; Workers: waitUntil).
 * `queued` is how many emails the caller just queued, and that is how many this attempt sends (the
 * oldest due, not necessarily the caller's own): under a burst of sign-ups each request sends one
 * instead of each running a loop over everyone else's that ends in an empty claim. Whatever is
 * left, a failure's retry for example, is the Node loop's or the Worker's minute sweep's.
 */
export function deliverSoon(deps: NotifyDeps, queued = 1) {
  deps.defer(deliverDueMail(deps, { max: queued }));
}

/**
 * Sends, after the response, the email the caller queued already claimed (queueClaimedMailStatement)
 * to the reader it just wrote: the sign-up's confirmation without a claim or a read of its own.
 */
export function sendClaimedSoon(deps: NotifyDeps, mail: QueuedMail, subscriber: Subscriber) {
  deps.defer(deliverClaimed(deps, mail, subscriber));
}

/**
 * Queues a confirmation (subject to the daily limit) and starts sending it. `requestedAt` is when
 * the pending period began; the link is only valid from then on.
 */
export async function queueConfirmation(deps: NotifyDeps, subscriber: Subscriber, requestedAt: number) {
  if (!(await mailboxAllows(deps, subscriber))) return;
  await queueMail(deps.db, { kind: 'confirm', subscriberId: subscriber.id, issuedAt: Math.max(deps.now(), requestedAt), now: deps.now() });
  deliverSoon(deps);
}

export async function queueAlreadySubscribed(deps: NotifyDeps, subscriber: Subscriber) {
  if (!(await mailboxAllows(deps, subscriber))) return;
  await queueMail(deps.db, { kind: 'already-subscribed', subscriberId: subscriber.id, issuedAt: deps.now(), now: deps.now() });
  deliverSoon(deps);
}
