import { toBase64Url } from '../base64url';
import { hmacSha256 } from '../keyed-hash';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { erasedAddresses } from '../db/schema';
import type { Deps } from '../deps';
import { rateLimitKey } from '../rate-limit';
import { mailboxKey } from './mailbox';
import { getSubscriber } from './queries';

type EraseDeps = Pick<Deps, 'db' | 'secrets' | 'signer' | 'now'>;

const DAY_MS = 24 * 3600 * 1000;

/**
 * The tombstone of an address: HMAC-SHA256 with SECRET over its mailbox key (src/subscribers/
 * mailbox.ts: case and +tag folded), so "Ann@Example.org" and "ann+news@example.org" leave one
 * tombstone, as they are one reader, and nothing without the secret
 * can test an address against the table. The synchronous keyed hash (src/keyed-hash.ts) rather than
 * WebCrypto, because an import checks every row of a file.
 */
export function tombstoneHasher(secret: string): (email: string) => string {
  const mac = hmacSha256(secret);
  return (email) => toBase64Url(mac(`erased-address:${mailboxKey(email)}`));
}

/** Which of these tombstone hashes exist. One statement whatever the count (json_each, one bound value). */
export async function erasedAmong(db: Database, hashes: string[]): Promise<Set<string>> {
  if (!hashes.length) return new Set();
  const rows = await db.all<{ hash: string }>(sql`
    select hash from erased_addresses where hash in (select value from json_each(${JSON.stringify(hashes)}))`);
  return new Set(rows.map((r) => r.hash));
}

export async function isErased(deps: Pick<EraseDeps, 'db' | 'secrets'>, email: string): Promise<boolean> {
  const hash = tombstoneHasher(deps.secrets.secret)(email);
  return (await erasedAmong(deps.db, [hash])).size > 0;
}

/**
 * The reader signed up again themself and confirmed: their tombstone goes, and from now on
 * they are an ordinary reader again (an import may update them like any other).
 */
export async function liftTombstone(deps: Pick<EraseDeps, 'db' | 'secrets'>, email: string): Promise<void> {
  await deps.db.run(sql`delete from erased_addresses where hash = ${tombstoneHasher(deps.secrets.secret)(email)}`);
}

/**
 * Erases a reader (GDPR art. 17): every copy of their address and name goes, in one batch, and a
 * tombstone stays. What holds personal data, and what happens to it:
 * - subscribers: the row is deleted; subscriber_events (IPs, details): deleted.
 * - deliveries: address and name copies cleared, the link to the reader cut; the row stays,
 *   anonymous, so the campaign's counts stay right. A delivery still queued in a chunk that was
 *   already tried keeps its copy until the chunk is sent (a retry must send identical bytes, see
 *   freezeChunk); scrubErasedDeliveries clears it afterwards.
 * - link_clicks: the link to the reader cut (the click still counts).
 * - outbox_messages: messages to them deleted. webhook_pending: events naming their address
 *   deleted. rate_limits: windows keyed on their address deleted.
 * The audit log records each erasure (who, when) in the API guard, src/admin/api-guard.ts.
 */
export async function eraseSubscriber(deps: EraseDeps, id: number): Promise<boolean> {
  const reader = await getSubscriber(deps.db, id);
  if (!reader) return false;
  const hash = tombstoneHasher(deps.secrets.secret)(reader.email);
  const address = reader.email.toLowerCase();
  await deps.db.batch([
    deps.db
      .insert(erasedAddresses)
      .values({ hash, erasedOn: deps.now() - (deps.now() % DAY_MS) })
      .onConflictDoNothing(),
    deps.db.run(sql`update deliveries set email = null, name = null, subscriber_id = null
                    where subscriber_id = ${id} and status <> 'queued'`),
    deps.db.run(sql`update link_clicks set subscriber_id = null where subscriber_id = ${id}`),
    // instr over lower(): the address as a plain substring (LIKE would read _ and % in it as patterns).
    deps.db.run(sql`delete from outbox_messages where instr(lower("to"), ${address}) > 0`),
    deps.db.run(sql`delete from webhook_pending where instr(lower(payload), ${address}) > 0`),
    // Per-address limits are keyed by a keyed hash of the mailbox (src/subscribers/notify.ts).
    deps.db.run(sql`delete from rate_limits where key = ${await rateLimitKey(deps.signer, 'mail', mailboxKey(reader.email))}`),
    deps.db.run(sql`delete from subscriber_events where subscriber_id = ${id}`),
    deps.db.run(sql`delete from subscribers where id = ${id}`),
  ]);
  return true;
}

/**
 * Clears the copies left on deliveries that were still queued in an already-tried chunk when
 * their reader was erased, once those deliveries are settled. Run by the half-hourly job.
 */
export async function scrubErasedDeliveries(db: Database): Promise<void> {
  await db.run(sql`
    update deliveries set email = null, name = null, subscriber_id = null
    where status <> 'queued' and subscriber_id is not null
      and not exists (select 1 from subscribers s where s.id = deliveries.subscriber_id)`);
}
