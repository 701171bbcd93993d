import type { SubscriberEventType, TransactionalKind } from '../db/schema';
import type { Deps } from '../deps';
import type { EmailMessage, MailError } from '../mailer/mailer';
import { renderMail } from '../subscribers/render-mail';
import { getSubscriber, type Subscriber } from '../subscribers/queries';
import { claimDueMail, finishMail, finishSentAfterStore, retryMailLater, type QueuedMail } from './queries';
import { backoffMs, sleep } from '../timing';

type DeliverDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now'>;

export interface DeliverOptions {
  /** How long a sender holds an email before another may try it (default MAIL_LEASE_MS). */
  leaseMs?: number;
  /** At most this many emails per call, so a Worker's waitUntil stays short (default 50). */
  max?: number;
}

/** Tries after which an email is given up (5 s doubling to 30 min, with jitter: two to four hours). */
const MAX_ATTEMPTS = 12;
const BACKOFF = { baseMs: 5_000, maxMs: 30 * 60_000 };

/**
 * Whether a later try can cure the failure. The mailer's own rule (MailError.retryable) first;
 * beyond it, a used-up quota and a refused key also wait for a later try here: the bulk sender
 * pauses its campaign for an editor on those, but a transactional email has no campaign to pause,
 * and its backoff outlasts a quota reset or an operator fixing the key.
 */
const worthRetrying = (error: MailError) => error.retryable || error.kind === 'rate_limited' || error.kind === 'auth';

/** Whether the reader still wants this email: a confirmation is moot once they are active, and so on. */
function stillWanted(kind: TransactionalKind, s: Subscriber) {
  return kind === 'confirm' ? s.status === 'pending' : s.status === 'active';
}

/**
 * Sends the transactional emails that are due, one claimed row at a time, until none is left
 * (or `max`). Everyone calls this: the request that queued an email (deps.defer, so the reader is
 * not kept waiting), Node's loop (which also finds what a crashed process left), the Worker's
 * minute sweep. Priority 'transactional' puts these ahead of waiting bulk chunks at the provider
 * rate. Returns how many rows it finished or put back.
 */
export async function deliverDueMail(deps: DeliverDeps, options: DeliverOptions = {}): Promise<number> {
  const leaseMs = options.leaseMs ?? deps.config.mailLeaseMs;
  const max = options.max ?? 50;
  let done = 0;
  while (done < max) {
    const row = await claimDueMail(deps.db, { now: deps.now(), leaseMs });
    if (!row) break;
    await deliverOne(deps, row);
    done++;
  }
  return done;
}

async function deliverOne(deps: DeliverDeps, row: QueuedMail) {
  await deliverClaimed(deps, row, await getSubscriber(deps.db, row.subscriberId));
}

/**
 * Sends one email the caller holds the lease of, to `subscriber` as they are now, and records
 * the outcome (sent, retry later, failed, or skipped when the reader no longer wants it).
 */
export async function deliverClaimed(deps: DeliverDeps, row: QueuedMail, subscriber: Subscriber | undefined) {
  if (!subscriber || !stillWanted(row.kind, subscriber)) {
    await finishMail(deps.db, row, { status: 'skipped', at: deps.now() });
    return;
  }
  const { message, sentEvent } = await renderMail(deps, subscriber, row);
  if (await storedAndFinished(deps, row, message, sentEvent)) return;
  const result = await deps.mailer.send(message, { priority: 'transactional', idempotencyKey: row.idempotencyKey });
  const at = deps.now();
  if (result.ok) {
    await finishMail(deps.db, row, { status: 'sent', at, providerId: result.ids[0], event: { type: sentEvent, detail: { messageId: result.ids[0] } } });
    return;
  }
  const fields = { kind: row.kind, subscriberId: row.subscriberId, attempt: row.attempts, error: result.error };
  if (worthRetrying(result.error) && row.attempts < MAX_ATTEMPTS) {
    deps.logger.warn('transactional email failed; will retry', fields);
    await retryMailLater(deps.db, row, { notBefore: at + backoffMs(row.attempts, BACKOFF), error: result.error.message });
    return;
  }
  deps.logger.error('transactional email failed', fields);
  await finishMail(deps.db, row, {
    status: 'failed',
    at,
    error: result.error.message,
    event: { type: 'mail_failed', detail: { kind: row.kind, error: result.error.message } },
  });
}

/**
 * With the outbox mailer (whose provider is this database) the message is stored and the email
 * recorded as sent in one batch: one round trip (on D1, one call) instead of two. False when that
 * did not happen (another mailer; the key already held a message; the batch failed): then the
 * usual send decides, which answers a repeat, a conflict or an error as always.
 */
async function storedAndFinished(deps: DeliverDeps, row: QueuedMail, message: EmailMessage, sentEvent: SubscriberEventType) {
  const store = deps.mailer.storeInBatch?.(deps.db, message, row.idempotencyKey);
  if (!store) return false;
  try {
    const [stored] = (await deps.db.batch([store.item, ...finishSentAfterStore(deps.db, row, { at: deps.now(), eventType: sentEvent })])) as [unknown];
    return store.id(stored) !== undefined;
  } catch (err) {
    // Nothing of the batch was written; the usual send below tries again and records its outcome.
    // The operator still learns that the database refused it (a full disk, a locked file).
    deps.logger.warn('storing a transactional email failed; sending it the usual way', {
      kind: row.kind,
      subscriberId: row.subscriberId,
      error: String((err as Error)?.message ?? err),
    });
    return false;
  }
}

/**
 * Node's transactional sender: looks at once (what a killed process left behind goes out on
 * start) and then every `idleMs`. A request's own deferred attempt normally gets there first;
 * this loop is what makes the queue durable, not what makes it fast.
 */
export async function runTransactionalLoop(deps: DeliverDeps, options: { signal?: AbortSignal; idleMs?: number } = {}) {
  const idleMs = options.idleMs ?? 1000;
  while (!options.signal?.aborted) {
    try {
      if ((await deliverDueMail(deps)) > 0) continue;
    } catch (err) {
      deps.logger.error('transactional mail loop error', { error: String((err as Error)?.stack ?? err) });
    }
    await sleep(idleMs, options.signal);
  }
}
