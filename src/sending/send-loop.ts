import { and, eq, lte, or } from 'drizzle-orm';
import { campaigns } from '../db/schema';
import type { Deps } from '../deps';
import { sleep } from '../timing';
import type { CampaignMessages } from './campaign-messages';
import { claimChunk, dueCampaignIds, finishCampaigns } from './chunk-queries';
import { sendLanes } from './lanes';
import { defaultSendPolicy, sendChunk, type SendPolicy } from './send-chunk';

type LoopDeps = Pick<Deps, 'db' | 'config' | 'mailer' | 'signer' | 'logger' | 'now' | 'jobs'>;

export interface SendLoopOptions {
  policy?: Partial<SendPolicy>;
  /** Chunks in flight at once (default: sendLanes for SEND_RATE); the mailer's shared rate limit still caps requests per second. */
  concurrency?: number;
  /** Pause between looks for work when there is none. */
  idleMs?: number;
  /**
   * How often due campaigns are started and finished ones closed (default: every `idleMs`). The
   * benchmark looks for work every 50 ms so its send ends promptly, but keeps this at the CLI's
   * one second, as an operator's sender does: two statements a tick would otherwise be a tenth
   * of the statements its send runs.
   */
  housekeepingMs?: number;
  signal?: AbortSignal;
  /** Return once nothing is sending or due (CLI and tests), instead of running forever. */
  untilIdle?: boolean;
}

/**
 * Starts the scheduled campaigns whose time has come (start-due.ts). Starting renders the
 * campaign (react-email, MJML), so that module is imported only when one is due: a process that
 * only sends (npm run campaign -- run) keeps the renderers out of its memory.
 */
async function startDue(deps: LoopDeps): Promise<void> {
  if ((await dueCampaignIds(deps.db, deps.now())).length === 0) return;
  const { startDueCampaigns } = await import('./start-due');
  await startDueCampaigns(deps);
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
  const concurrency = Math.max(1, options.concurrency ?? sendLanes(deps.config.sendRate, 'node'));
  const idleMs = options.idleMs ?? 1000;
  const housekeepingMs = options.housekeepingMs ?? idleMs;
  const cache = new Map<number, CampaignMessages>();
  let nextHousekeeping = 0;
  // While there is nothing to claim, one lane (the lookout) looks again every idleMs and the
  // others wait for it: an idle sender runs one claim a look, not one per lane. Whichever lane
  // claims a chunk wakes the waiting ones, which then claim the chunks after it.
  const parked: (() => void)[] = [];
  let lookout = false;
  const wakeParked = () => {
    for (const wake of parked.splice(0)) wake();
  };
  options.signal?.addEventListener('abort', wakeParked);

  const worker = async () => {
    while (!options.signal?.aborted) {
      const now = deps.now();
      if (now >= nextHousekeeping) {
        nextHousekeeping = now + housekeepingMs;
        await startDue(deps);
        await finishCampaigns(deps.db, now);
      }
      const claim = await claimChunk(deps.db, { now, leaseMs: policy.leaseMs });
      if (claim) {
        wakeParked();
        await sendChunk(deps, claim, policy, cache);
        continue;
      }
      if (options.untilIdle && !(await hasWork(deps))) {
        wakeParked();
        return;
      }
      if (lookout) {
        await new Promise<void>((resolve) => parked.push(resolve));
        continue;
      }
      lookout = true;
      try {
        await sleep(idleMs, options.signal);
      } finally {
        lookout = false;
      }
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
  try {
    await Promise.all(Array.from({ length: concurrency }, guarded));
  } finally {
    options.signal?.removeEventListener('abort', wakeParked);
  }
}
