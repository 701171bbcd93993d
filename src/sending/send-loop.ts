import { and, eq, lte, or } from 'drizzle-orm';
import { moveCampaign } from '../campaigns/status';
import { campaigns } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { sleep } from '../timing';
import type { CampaignMessages } from './campaign-messages';
import { claimChunk, finishCampaigns } from './chunk-queries';
import { defaultSendPolicy, sendChunk, type SendPolicy } from './send-chunk';

type LoopDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'jobs'>;

export interface SendLoopOptions {
  policy?: Partial<SendPolicy>;
  /** Chunks in flight at once; the mailer's shared rate limit still caps requests per second. */
  concurrency?: number;
  /** Pause between looks for work when there is none. */
  idleMs?: number;
  signal?: AbortSignal;
  /** Return once nothing is sending or due (CLI and tests), instead of running forever. */
  untilIdle?: boolean;
}

/** Starts scheduled campaigns whose time has come. A campaign that cannot start is failed, with the reason. */
export async function startDueCampaigns(deps: LoopDeps): Promise<void> {
  const due = await deps.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(and(eq(campaigns.status, 'scheduled'), lte(campaigns.scheduledAt, deps.now())));
  if (due.length === 0) return;
  // Starting a send renders the campaign (react-email, MJML): loaded only when one is due, so a
  // process that only sends (npm run campaign -- run) keeps the renderers out of its memory.
  const { startSend } = await import('./start-send');
  for (const { id } of due) {
    try {
      await startSend(deps, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        await moveCampaign(deps.db, id, 'failToStart', { now: deps.now(), reason: err.message });
        deps.logger.error('scheduled campaign could not start', { campaignId: id, reason: err.message });
      } else throw err;
    }
  }
}

/** Whether any campaign has work now: sending, or scheduled and due. */
async function hasWork(deps: LoopDeps): Promise<boolean> {
  const rows = await deps.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(
      or(eq(campaigns.status, 'sending'), and(eq(campaigns.status, 'scheduled'), lte(campaigns.scheduledAt, deps.now()))),
    )
    .limit(1);
  return rows.length > 0;
}

/**
 * The in-process sender (Node): starts due campaigns, then claims chunks and sends them, a few
 * at a time. Several loops (the server and a CLI) can run against one database: chunk leases
 * keep them from sending the same chunk twice at once, and idempotency keys cover the rest.
 */
export async function runSendLoop(deps: LoopDeps, options: SendLoopOptions = {}): Promise<void> {
  const policy = { ...defaultSendPolicy, ...options.policy };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const idleMs = options.idleMs ?? 1000;
  const cache = new Map<number, CampaignMessages>();
  let nextHousekeeping = 0;

  const worker = async () => {
    while (!options.signal?.aborted) {
      const now = deps.now();
      if (now >= nextHousekeeping) {
        nextHousekeeping = now + idleMs;
        await startDueCampaigns(deps);
        await finishCampaigns(deps.db, now);
      }
      const claim = await claimChunk(deps.db, { now, leaseMs: policy.leaseMs });
      if (claim) {
        await sendChunk(deps, claim, policy, cache);
        continue;
      }
      if (options.untilIdle && !(await hasWork(deps))) return;
      await sleep(idleMs, options.signal);
    }
  };

  const guarded = async () => {
    for (;;) {
      try {
        return await worker();
      } catch (err) {
        // A database hiccup must not stop sending for good: log, wait, carry on.
        deps.logger.error('send loop error', { error: String((err as Error)?.stack ?? err) });
        if (options.signal?.aborted) return;
        await sleep(idleMs, options.signal);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, guarded));
}
