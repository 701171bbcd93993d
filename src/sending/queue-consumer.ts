import type { Message } from '@cloudflare/workers-types/index.ts';
import * as z from 'zod';
import type { Deps } from '../deps';
import { backoffMs, sleep as wait } from '../timing';
import type { CampaignMessages } from './campaign-messages';
import { sendLanes } from './lanes';
import { claimJobChunk, jobChunkState, type ChunkJob } from './queue-chunks';
import { defaultSendPolicy, sendChunk, type SendPolicy } from './send-chunk';

type ConsumerDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now'>;

export interface ConsumeOptions {
  policy?: Partial<SendPolicy>;
  /** Stored renders by campaign, kept for the isolate's life (Node's loop keeps one too). */
  cache?: Map<number, CampaignMessages>;
  sleep?: (ms: number) => Promise<void>;
}

const jobSchema = z.object({ campaignId: z.number().int().positive(), chunk: z.number().int().min(0) });

/** Queues refuse a retry delay over 12 hours. */
const MAX_DELAY_S = 12 * 3600;
const delaySeconds = (ms: number) => Math.min(MAX_DELAY_S, Math.max(1, Math.ceil(ms / 1000)));

type Verdict = { ack: true } | { ack: false; delayMs: number };

/**
 * The Cloudflare Queue consumer of send jobs. Queues deliver at least once, so a job may come
 * twice, late, or while another consumer holds its chunk; the ledger decides, never the queue:
 * a job claims its chunk under the same lease as Node's loop and sends it with sendChunk (the
 * frozen members and the chunk's Idempotency-Key make a repeated try send nothing twice). A job
 * whose chunk is done, or whose campaign stopped, is acknowledged and dropped; a job that comes
 * too early is retried when the chunk is due. Every message is acked or retried explicitly, so a
 * failure of one never re-sends the others.
 *
 * SEND_RATE across invocations: wrangler.toml runs one consumer at a time (max_concurrency = 1),
 * and each invocation ends one rate window after its last provider request, so the next
 * invocation, which may run in a fresh isolate with an empty limiter, cannot start inside it.
 */
export async function consumeSendJobs(deps: ConsumerDeps, messages: readonly Message<unknown>[], options: ConsumeOptions = {}): Promise<void> {
  const policy = { ...defaultSendPolicy, ...options.policy };
  const cache = options.cache ?? new Map<number, CampaignMessages>();
  const sleep = options.sleep ?? ((ms: number) => wait(ms));
  let sentSomething = false;

  const handle = async (message: Message<unknown>) => {
    try {
      const verdict = await decide(deps, message, policy, cache, () => (sentSomething = true));
      if (verdict.ack) message.ack();
      else message.retry({ delaySeconds: delaySeconds(verdict.delayMs) });
    } catch (err) {
      // The database or the code failed, not the provider: try the job again later. Its chunk's
      // lease keeps anyone else off it meanwhile, and runs out if this consumer is gone for good.
      deps.logger.error('send job failed', { job: message.body, attempt: message.attempts, error: String((err as Error)?.stack ?? err) });
      message.retry({ delaySeconds: delaySeconds(backoffMs(message.attempts + 1, { baseMs: policy.baseBackoffMs, maxMs: policy.maxBackoffMs })) });
    }
  };

  // A few jobs at once (lanes.ts); the mailer's limiter paces them.
  const queue = [...messages];
  const lanes = Math.max(1, Math.min(sendLanes(deps.config.sendRate, 'worker'), queue.length));
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) await handle(m);
    }),
  );
  if (cache.size > 16) cache.clear();
  if (sentSomething && deps.mailer.kind === 'resend') await sleep(rateWindowMs(deps.config.sendRate));
}

/** The span in which the mailer's limiter allows its burst (see ProviderRate). */
const rateWindowMs = (rate: number) => (Math.max(1, Math.floor(rate)) * 1000) / rate;

async function decide(
  deps: ConsumerDeps,
  message: Message<unknown>,
  policy: SendPolicy,
  cache: Map<number, CampaignMessages>,
  markSent: () => void,
): Promise<Verdict> {
  const parsed = jobSchema.safeParse(message.body);
  if (!parsed.success) {
    deps.logger.error('malformed send job dropped', { body: message.body });
    return { ack: true };
  }
  const job: ChunkJob = parsed.data;
  const now = deps.now();
  const claim = await claimJobChunk(deps.db, { ...job, now, leaseMs: policy.leaseMs });
  if (claim) {
    markSent();
    const outcome = await sendChunk(deps, claim, policy, cache);
    if (outcome !== 'retry') return { ack: true };
    // sendChunk released the chunk with its backoff; come back when it is due.
    const state = await jobChunkState(deps.db, job);
    return { ack: false, delayMs: (state?.notBefore ?? now) - deps.now() };
  }
  return whyNotClaimed(deps, job, now);
}

async function whyNotClaimed(deps: ConsumerDeps, job: ChunkJob, now: number): Promise<Verdict> {
  const state = await jobChunkState(deps.db, job);
  // Gone, finished, or stopped (a resume queues the campaign's chunks again): nothing to do.
  if (!state || state.campaignStatus !== 'sending') return { ack: true };
  if (state.chunkStatus === 'sent' || state.chunkStatus === 'failed') {
    deps.logger.info('send job for a finished chunk dropped', { ...job, chunkStatus: state.chunkStatus });
    return { ack: true };
  }
  // Leased by another consumer: look again when its lease ends, in case that consumer died.
  if (state.chunkStatus === 'leased') return { ack: false, delayMs: (state.leaseUntil ?? now) - now + 1000 };
  // Pending but backing off: come back when it is due.
  return { ack: false, delayMs: (state.notBefore ?? now) - now };
}
