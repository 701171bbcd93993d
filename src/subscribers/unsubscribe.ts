import type { Deps } from '../deps';
import { AppError } from '../errors';
import type { TokenClaims } from '../tokens';
import { getSubscriber, updateSubscriber, type Subscriber } from './queries';

type LeaveDeps = Pick<Deps, 'db' | 'signer' | 'now'>;

const invalid = () => new AppError('not_found', 'This unsubscribe link is not valid. Use the link from a recent email.');

/** Reads an unsubscribe link without changing anything. Links never expire (RFC 8058 asks for that). */
export async function checkUnsubscribeToken(deps: LeaveDeps, token: string): Promise<{ subscriber: Subscriber; claims: TokenClaims }> {
  const claims = await deps.signer.verify(token, 'unsubscribe');
  if (!claims) throw invalid();
  const subscriber = await getSubscriber(deps.db, claims.subscriberId);
  if (!subscriber) throw invalid();
  return { subscriber, claims };
}

/** The campaign an unsubscribe link came from, when the link was made for one. */
export const campaignOf = (claims: TokenClaims): number | null => {
  const id = Number(claims.extra);
  return claims.extra && Number.isSafeInteger(id) && id > 0 ? id : null;
};

/**
 * Stops all mail to the reader. Idempotent: a second click (or a mail client's one-click POST
 * after the reader already left) changes nothing and still succeeds. Bounced and complained
 * readers keep that status: they are not mailed either, and the reason stays visible.
 */
export async function unsubscribe(
  deps: LeaveDeps,
  subscriber: Subscriber,
  how: { method: 'link' | 'one-click' | 'preferences' | 'editor'; campaignId?: number | null; ip?: string },
): Promise<Subscriber> {
  if (subscriber.status !== 'active' && subscriber.status !== 'pending') return subscriber;
  const at = deps.now();
  const row = await updateSubscriber(
    deps.db,
    subscriber.id,
    { status: 'unsubscribed', unsubscribedAt: at },
    { type: 'unsubscribed', detail: { method: how.method, actor: how.method === 'editor' ? 'editor' : 'reader', campaignId: how.campaignId ?? null }, ip: how.ip, at },
    ['active', 'pending'],
  );
  return row ?? (await getSubscriber(deps.db, subscriber.id)) ?? subscriber;
}

/**
 * For the preferences page: who the token belongs to. A campaign's preferences link carries the
 * reader's unsubscribe token (src/subscribers/links.ts `campaignReaderLinks`), so both purposes
 * open it; a preferences token still never unsubscribes through `/unsubscribe/:token`.
 */
export async function checkPreferencesToken(deps: LeaveDeps, token: string): Promise<Subscriber> {
  const claims = await deps.signer.verify(token, ['preferences', 'unsubscribe']);
  if (!claims) throw new AppError('not_found', 'This preferences link is not valid. Use the link from a recent email.');
  const subscriber = await getSubscriber(deps.db, claims.subscriberId);
  if (!subscriber) throw new AppError('not_found', 'This preferences link is not valid. Use the link from a recent email.');
  return subscriber;
}
