import { getCampaign } from '../campaigns/queries';
import { moveCampaign, type CampaignMove } from '../campaigns/status';
import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { mayHaveBeenAccepted, type MailError } from '../mailer/mailer';
import { backoffMs } from '../timing';
import { CampaignMessages, chunkIdempotencyKey } from './campaign-messages';
import {
  chunkMembers,
  failChunk,
  finishCampaigns,
  freezeChunk,
  markChunkSent,
  releaseChunk,
  setAsideInDoubt,
  type ClaimedChunk,
} from './chunk-queries';

/**
 * Resend remembers an idempotency key for 24 hours. A chunk whose earlier try may have been
 * accepted is re-posted only within this window after that try, an hour short of the 24 so a slow
 * try or a skewed clock cannot carry the retry past it. Later, the retry would be a new request
 * to Resend and could mail its readers twice: the chunk is set aside instead (docs/sending.md).
 */
export const IN_DOUBT_RETRY_WINDOW_MS = 23 * 3600_000;

export interface SendPolicy {
  /** How long a claimed chunk is ours before another sender may retry it. */
  leaseMs: number;
  /** First retry delay; doubles per attempt (with jitter), capped at maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A chunk still failing this long after its first failure pauses the whole campaign. */
  outageMs: number;
}

export const defaultSendPolicy: SendPolicy = {
  leaseMs: 60_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  outageMs: 10 * 60_000,
};

type SendDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now'>;

export type ChunkOutcome = 'sent' | 'retry' | 'failed' | 'paused' | 'gone';

/**
 * Sends one claimed chunk and records the outcome. Exactly-once rests on three things:
 * the chunk's members are fixed on its first try (freezeChunk), the batch is rebuilt identically
 * from the ledger and the stored render, and its Idempotency-Key is the same on every try — so
 * whether a previous try died before, during or after Resend accepted it, this try either sends
 * the batch or gets Resend's stored answer for it.
 */
export async function sendChunk(
  deps: SendDeps,
  claim: ClaimedChunk,
  policy: SendPolicy,
  cache: Map<number, CampaignMessages> = new Map(),
): Promise<ChunkOutcome> {
  const messages = await messagesFor(deps, claim, cache);
  if (!messages) return 'gone';
  const { campaign } = messages;
  if (claim.inDoubtSince !== null && deps.now() - claim.inDoubtSince >= IN_DOUBT_RETRY_WINDOW_MS) {
    return setAside(deps, campaign, claim);
  }
  const members =
    claim.firstTriedAt === null
      ? await freezeChunk(deps.db, campaign, claim.chunk, deps.now())
      : await chunkMembers(deps.db, campaign.id, claim.chunk);
  if (members.length === 0) {
    // Everyone in this chunk left before it was tried: nothing to send (markChunkSent also
    // finishes the campaign if this was its last chunk).
    await markChunkSent(deps.db, { campaignId: campaign.id, chunk: claim.chunk, members, ids: [], now: deps.now() });
    return 'sent';
  }
  const batch = await Promise.all(members.map((m) => messages.build(m)));
  const triedAt = deps.now();
  const result = await deps.mailer.sendBatch(batch, {
    idempotencyKey: chunkIdempotencyKey(campaign, claim.chunk),
    priority: 'bulk',
    attempts: 1,
  });
  const now = deps.now();
  if (result.ok) {
    await markChunkSent(deps.db, { campaignId: campaign.id, chunk: claim.chunk, members, ids: result.ids, now });
    return 'sent';
  }
  return handleFailure(deps, campaign, claim, result.error, policy, triedAt);
}

/**
 * The campaign's messages if it is still sending. The stored render and the frozen settings are
 * read once per send and kept in `cache`; later chunks need no read at all: the claim was made
 * while the campaign was sending and says its start time (a restarted send has a new start
 * time, and is read afresh).
 */
async function messagesFor(deps: SendDeps, claim: ClaimedChunk, cache: Map<number, CampaignMessages>): Promise<CampaignMessages | undefined> {
  const { campaignId } = claim;
  const cached = cache.get(campaignId);
  if (cached && claim.campaignStartedAt === cached.campaign.startedAt) return cached;
  // The loop's lanes all claim their first chunk at once: one of them reads the campaign and
  // compiles its messages, the others wait for it rather than doing the same work again.
  let reads = loading.get(cache);
  if (!reads) loading.set(cache, (reads = new Map()));
  const pending = reads.get(campaignId);
  if (pending) {
    const messages = await pending;
    // Read before this claim was made: only an answer for this very send will do.
    if (messages && claim.campaignStartedAt === messages.campaign.startedAt) return messages;
  }
  const read = readMessages(deps, campaignId, cache);
  reads.set(campaignId, read);
  try {
    return await read;
  } finally {
    if (reads.get(campaignId) === read) reads.delete(campaignId);
  }
}

/** Reads in progress per cache, so lanes sharing a cache share a read (see messagesFor). */
const loading = new WeakMap<Map<number, CampaignMessages>, Map<number, Promise<CampaignMessages | undefined>>>();

async function readMessages(deps: SendDeps, campaignId: number, cache: Map<number, CampaignMessages>): Promise<CampaignMessages | undefined> {
  const campaign = await getCampaign(deps.db, campaignId);
  if (!campaign || campaign.status !== 'sending') return undefined;
  const messages = new CampaignMessages(deps, campaign);
  cache.set(campaignId, messages);
  return messages;
}

async function handleFailure(
  deps: SendDeps,
  campaign: Campaign,
  claim: ClaimedChunk,
  error: MailError,
  policy: SendPolicy,
  triedAt: number,
): Promise<ChunkOutcome> {
  const now = deps.now();
  const message = `${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`;
  deps.logger.warn('chunk not sent', { campaignId: campaign.id, chunk: claim.chunk, attempt: claim.attempts, error: message });

  if (error.kind === 'auth') {
    // Every chunk would fail the same way: stop and tell the editor, lose nothing.
    await releaseChunk(deps.db, { campaignId: campaign.id, chunk: claim.chunk, notBefore: now, error: message });
    await pause(deps, campaign, 'pauseForAuth', `Resend refused the API key (${error.message}). Fix RESEND_API_KEY, then resume.`);
    return 'paused';
  }
  if (error.kind === 'rate_limited' && !error.retryable) {
    // A daily or monthly quota: no chunk can go before it resets, and none is lost by waiting.
    await releaseChunk(deps.db, { campaignId: campaign.id, chunk: claim.chunk, notBefore: now, error: message });
    await pause(deps, campaign, 'pauseForQuota', `Resend's sending quota is used up (${error.message}). Resume when it has reset.`);
    return 'paused';
  }
  // The mailer's rule (MailError.retryable): a later try can get past it, or it is about the request.
  if (!error.retryable) {
    await failChunk(deps.db, { campaignId: campaign.id, chunk: claim.chunk, error: message, now });
    await finishCampaigns(deps.db, now);
    return 'failed';
  }
  const wait = Math.max(error.retryAfterMs ?? 0, backoffMs(claim.attempts, { baseMs: policy.baseBackoffMs, maxMs: policy.maxBackoffMs }));
  const inDoubtSince = mayHaveBeenAccepted(error) ? triedAt : undefined;
  await releaseChunk(deps.db, { campaignId: campaign.id, chunk: claim.chunk, notBefore: now + wait, error: message, inDoubtSince });
  // A long outage pauses the campaign; resuming it later sends the rest without loss.
  const failingSince = claim.firstTriedAt ?? now;
  if (now - failingSince >= policy.outageMs) {
    await pause(deps, campaign, 'pauseForOutage', `Paused after ${Math.round((now - failingSince) / 60000)} minutes of failed sends (${message}). Resume when the provider is back.`);
    return 'paused';
  }
  return 'retry';
}

/**
 * The claimed chunk, and any other of the campaign's pending chunks, were tried so long ago
 * without a known outcome that Resend has forgotten their key: they are not re-posted. Their
 * readers are marked failed with "outcome unknown", and the campaign is paused so an editor
 * learns of it (Resend's log tells whether those readers got the email); resuming sends the rest.
 */
async function setAside(deps: SendDeps, campaign: Campaign, claim: ClaimedChunk): Promise<ChunkOutcome> {
  const now = deps.now();
  const hours = Math.floor(IN_DOUBT_RETRY_WINDOW_MS / 3600_000);
  const { chunks, readers } = await setAsideInDoubt(deps.db, {
    campaignId: campaign.id,
    claimed: claim.chunk,
    before: now - IN_DOUBT_RETRY_WINDOW_MS,
    error: `outcome unknown: Resend's answer was lost and ${hours} hours have passed, so it was not sent again`,
    reason:
      `Resend's answer to an earlier try of chunk ${claim.chunk} was lost, and it is over ${hours} hours old: Resend no longer ` +
      'recognises a retry, so sending it again could mail its readers twice. {readers} readers (chunks {chunks}) were set aside and ' +
      `marked failed ("outcome unknown"); Resend's log (tag campaign=${campaign.id}) shows whether they got it. Resume to send the rest.`,
    now,
  });
  deps.logger.error('chunks in doubt set aside', { campaignId: campaign.id, chunks, readers });
  return 'paused';
}

async function pause(deps: SendDeps, campaign: Campaign, move: CampaignMove, reason: string) {
  await moveCampaign(deps.db, campaign.id, move, { now: deps.now(), reason });
  deps.logger.error('campaign paused', { campaignId: campaign.id, reason });
}
