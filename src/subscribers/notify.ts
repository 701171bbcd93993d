import { alreadySubscribedEmail, confirmEmail, welcomeEmail } from '../emails/transactional';
import type { Deps } from '../deps';
import type { EmailMessage } from '../mailer/mailer';
import { hitRateLimit } from '../rate-limit';
import { confirmUrl, listUnsubscribeHeaders, preferencesUrl, unsubscribeUrl } from './links';
import { recordEvent, type Subscriber } from './queries';
import { siteOf } from './site';
import { topicList } from './topics';

type NotifyDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now'>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * The transactional emails of a reader's subscription. Each send is recorded in the reader's
 * history (with the provider id, or the failure). Callers run these with deps.defer so the
 * HTTP answer does not wait for the provider and does not reveal whether an address was known.
 */
async function deliver(
  deps: NotifyDeps,
  subscriber: Subscriber,
  rendered: { subject: string; html: string; text: string },
  extra: { headers?: Record<string, string>; kind: string; idempotencyKey: string },
  sentEvent: 'confirmation_sent' | 'welcome_sent' | 'already_subscribed_sent',
) {
  const message: EmailMessage = {
    from: deps.config.mailFrom,
    to: subscriber.email,
    replyTo: deps.config.mailReplyTo,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: extra.headers,
    tags: [{ name: 'kind', value: extra.kind }],
  };
  const result = await deps.mailer.send(message, {
    priority: 'transactional',
    idempotencyKey: extra.idempotencyKey,
  });
  const at = deps.now();
  if (result.ok) {
    await recordEvent(deps.db, { subscriberId: subscriber.id, type: sentEvent, detail: { messageId: result.ids[0] }, at });
  } else {
    deps.logger.error('transactional email failed', { kind: extra.kind, subscriberId: subscriber.id, error: result.error });
    await recordEvent(deps.db, {
      subscriberId: subscriber.id,
      type: 'mail_failed',
      detail: { kind: extra.kind, error: result.error.message },
      at,
    });
  }
  return result;
}

/**
 * Whether this address may get another confirmation-type email today. Keeps a form from being
 * used to flood someone's inbox.
 */
async function withinDailyLimit(deps: NotifyDeps, subscriber: Subscriber) {
  const { allowed } = await hitRateLimit(deps.db, {
    key: `mail:${subscriber.email}`,
    limit: deps.config.confirmEmailLimit,
    windowMs: DAY_MS,
    now: deps.now(),
  });
  if (!allowed) {
    await recordEvent(deps.db, {
      subscriberId: subscriber.id,
      type: 'confirmation_suppressed',
      detail: { reason: 'daily limit for this address reached' },
      at: deps.now(),
    });
  }
  return allowed;
}

/** `requestedAt` is when this pending period began; the link is only valid from then on. */
export async function sendConfirmation(deps: NotifyDeps, subscriber: Subscriber, requestedAt: number) {
  if (!(await withinDailyLimit(deps, subscriber))) return;
  const now = Math.max(deps.now(), requestedAt);
  const rendered = await confirmEmail({
    site: siteOf(deps.config),
    name: subscriber.name,
    confirmUrl: await confirmUrl(deps, subscriber.id, now),
    topics: topicList(subscriber),
  });
  await deliver(
    deps,
    subscriber,
    rendered,
    { kind: 'confirm', idempotencyKey: `confirm-${subscriber.id}-${now}` },
    'confirmation_sent',
  );
}

export async function sendWelcome(deps: NotifyDeps, subscriber: Subscriber) {
  const at = deps.now();
  const unsubscribe = await unsubscribeUrl(deps, subscriber.id, at);
  const rendered = await welcomeEmail({
    site: siteOf(deps.config),
    name: subscriber.name,
    preferencesUrl: await preferencesUrl(deps, subscriber.id, at),
    unsubscribeUrl: unsubscribe,
    topics: topicList(subscriber),
  });
  await deliver(
    deps,
    subscriber,
    rendered,
    {
      kind: 'welcome',
      idempotencyKey: `welcome-${subscriber.id}-${subscriber.confirmedAt ?? at}`,
      headers: listUnsubscribeHeaders(deps.config, unsubscribe),
    },
    'welcome_sent',
  );
}

export async function sendAlreadySubscribed(deps: NotifyDeps, subscriber: Subscriber) {
  if (!(await withinDailyLimit(deps, subscriber))) return;
  const at = deps.now();
  const rendered = await alreadySubscribedEmail({
    site: siteOf(deps.config),
    preferencesUrl: await preferencesUrl(deps, subscriber.id, at),
  });
  await deliver(
    deps,
    subscriber,
    rendered,
    { kind: 'already-subscribed', idempotencyKey: `already-${subscriber.id}-${at}` },
    'already_subscribed_sent',
  );
}
