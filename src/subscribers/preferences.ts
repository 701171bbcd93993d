import type { Topic } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { deliverSoon, hitMailboxLimit, recordSuppressed } from './notify';
import { updateSubscriber, type Subscriber } from './queries';
import { topicColumns, topicList } from './topics';

type PreferencesDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'defer'>;

/** Saves a reader's own choice of topics and name. Writes an event only when something changed. */
export async function savePreferences(
  deps: PreferencesDeps,
  subscriber: Subscriber,
  input: { topics: Topic[]; name?: string | null; ip?: string },
): Promise<Subscriber> {
  const name = input.name === undefined ? subscriber.name : input.name || null;
  const before = { topics: topicList(subscriber), name: subscriber.name };
  const after = { topics: input.topics, name };
  if (JSON.stringify(before) === JSON.stringify(after)) return subscriber;
  const at = deps.now();
  const row = await updateSubscriber(
    deps.db,
    subscriber.id,
    { ...topicColumns(input.topics), name },
    { type: 'preferences_changed', detail: { before, after }, ip: input.ip, at },
  );
  if (!row) throw new AppError('not_found', 'This reader no longer exists.');
  return row;
}

/**
 * A reader who left asks to come back from their preferences page. They get a fresh
 * confirmation email (double opt-in again) rather than being reactivated on the spot.
 */
export async function resubscribe(deps: PreferencesDeps, subscriber: Subscriber, ip?: string): Promise<Subscriber> {
  if (subscriber.status !== 'unsubscribed') return subscriber;
  const at = deps.now();
  const allowed = await hitMailboxLimit(deps, subscriber.email);
  const row = await updateSubscriber(
    deps.db,
    subscriber.id,
    {
      status: 'pending',
      consentAt: at,
      consentIp: ip ?? null,
      consentSource: 'preferences page',
      confirmedAt: null,
      confirmIp: null,
    },
    { type: 'resubscribe_requested', detail: { source: 'preferences page' }, ip, at },
    ['unsubscribed'],
    allowed ? { kind: 'confirm', issuedAt: at } : undefined,
  );
  if (!row) return subscriber;
  if (allowed) deliverSoon(deps);
  else await recordSuppressed(deps, row.id);
  return row;
}
