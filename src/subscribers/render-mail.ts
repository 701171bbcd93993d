import type { TransactionalKind } from '../db/schema';
import { alreadySubscribedEmailFor, confirmationEmailFor, welcomeEmailFor } from '../emails/transactional';
import type { Deps } from '../deps';
import type { EmailMessage } from '../mailer/mailer';
import { confirmUrl, listUnsubscribeHeaders, preferencesUrl, unsubscribeUrl } from './links';
import type { Subscriber } from './queries';
import { siteOf } from './site';
import { topicList } from './topics';

const sentEvents = {
  confirm: 'confirmation_sent',
  welcome: 'welcome_sent',
  'already-subscribed': 'already_subscribed_sent',
} as const;

/**
 * The email a queued row stands for, rendered from the reader as they are now and from the
 * row's issue time, so every attempt of one row is the same request (the provider compares the
 * payload of a repeated Idempotency-Key).
 */
export async function renderMail(
  deps: Pick<Deps, 'config' | 'signer'>,
  subscriber: Subscriber,
  mail: { kind: TransactionalKind; issuedAt: number },
): Promise<{ message: EmailMessage; sentEvent: (typeof sentEvents)[TransactionalKind] }> {
  const site = siteOf(deps.config);
  const at = mail.issuedAt;
  let rendered: { subject: string; html: string; text: string };
  let headers: Record<string, string> | undefined;
  if (mail.kind === 'confirm') {
    rendered = await confirmationEmailFor({ site, name: subscriber.name, confirmUrl: await confirmUrl(deps, subscriber.id, at), topics: topicList(subscriber) });
  } else if (mail.kind === 'welcome') {
    const unsubscribe = await unsubscribeUrl(deps, subscriber.id, at);
    rendered = await welcomeEmailFor({
      site,
      name: subscriber.name,
      preferencesUrl: await preferencesUrl(deps, subscriber.id, at),
      unsubscribeUrl: unsubscribe,
      topics: topicList(subscriber),
    });
    headers = listUnsubscribeHeaders(deps.config, unsubscribe);
  } else {
    rendered = await alreadySubscribedEmailFor({ site, preferencesUrl: await preferencesUrl(deps, subscriber.id, at) });
  }
  const message: EmailMessage = {
    from: deps.config.mailFrom,
    to: subscriber.email,
    replyTo: deps.config.mailReplyTo,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    tags: [{ name: 'kind', value: mail.kind }],
  };
  return { message, sentEvent: sentEvents[mail.kind] };
}
