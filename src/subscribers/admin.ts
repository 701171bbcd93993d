import type { Topic } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { isErased } from './erasure';
import { deliverSoon } from './notify';
import { findSubscriberByEmail, insertSubscriber, updateSubscriber, type Subscriber } from './queries';
import { topicColumns, topicList } from './topics';
import { unsubscribe } from './unsubscribe';

type AdminDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'defer' | 'secrets'>;

export interface AddSubscriberInput {
  email: string;
  name?: string;
  topics?: Topic[];
  tags?: string[];
  status?: 'active' | 'pending';
}

/**
 * An editor adds a reader. `active`: consent is recorded as "added by an editor" and no email is
 * sent; `pending`: the reader gets a confirmation email, exactly as from the form.
 */
export async function addSubscriber(deps: AdminDeps, input: AddSubscriberInput): Promise<Subscriber> {
  if (await findSubscriberByEmail(deps.db, input.email)) {
    throw new AppError('conflict', 'A reader with this email address already exists.', { field: 'email' });
  }
  if (await isErased(deps, input.email)) {
    throw new AppError('conflict', 'This address was erased at the reader\'s request. Only the reader can sign up again, from the form.', { field: 'email' });
  }
  const at = deps.now();
  const status = input.status ?? 'pending';
  const topics = input.topics?.length ? input.topics : (['digest', 'appeals'] as Topic[]);
  const inserted = await insertSubscriber(
    deps.db,
    {
      email: input.email,
      name: input.name || null,
      status,
      ...topicColumns(topics),
      tags: input.tags ?? [],
      consentAt: at,
      consentSource: 'admin',
      consentWording: 'editor',
      confirmedAt: status === 'active' ? at : null,
      createdAt: at,
      updatedAt: at,
    },
    { type: 'added_by_editor', detail: { status, topics }, at },
    // An editor's add is not a form anyone can repeat, so no daily limit applies.
    status === 'pending' ? { kind: 'confirm', issuedAt: at } : undefined,
  );
  if (!inserted) throw new AppError('conflict', 'A reader with this email address already exists.', { field: 'email' });
  if (status === 'pending') deliverSoon(deps);
  return inserted.subscriber;
}

export interface EditSubscriberInput {
  name?: string | null;
  topics?: Topic[];
  tags?: string[];
  status?: 'unsubscribed';
}

/**
 * An editor edits a reader. An editor may unsubscribe someone (e.g. on request by phone), but
 * never make a reader active without the reader's own confirmation.
 */
export async function editSubscriber(deps: AdminDeps, subscriber: Subscriber, input: EditSubscriberInput) {
  let current = subscriber;
  const at = deps.now();
  const changes: Partial<Subscriber> = {};
  if (input.name !== undefined) changes.name = input.name || null;
  if (input.topics !== undefined) Object.assign(changes, topicColumns(input.topics));
  if (input.tags !== undefined) changes.tags = input.tags;
  if (Object.keys(changes).length) {
    const before = { name: current.name, topics: topicList(current), tags: current.tags };
    const row = await updateSubscriber(deps.db, current.id, changes, {
      type: 'updated_by_editor',
      detail: { before, changes: { ...input, status: undefined } },
      at,
    });
    if (!row) throw new AppError('not_found', 'No reader with this id.');
    current = row;
  }
  // Recorded as done by an editor (the event's method), not by the reader.
  if (input.status === 'unsubscribed') current = await unsubscribe(deps, current, { method: 'editor' });
  return current;
}
