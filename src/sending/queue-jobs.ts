import type { Queue } from '@cloudflare/workers-types/index.ts';
import type { Database } from '../db/database';
import type { JobRunner, Logger } from '../deps';
import { overdueJobs, unsentJobs, type ChunkJob } from './queue-chunks';

/** Queues take at most 100 messages per sendBatch call. */
const SEND_BATCH_LIMIT = 100;

/** Puts chunk jobs on the send queue, 100 per request. */
export async function enqueueJobs(queue: Queue<ChunkJob>, jobs: ChunkJob[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(jobs.slice(i, i + SEND_BATCH_LIMIT).map((body) => ({ body, contentType: 'json' as const })));
  }
}

/**
 * The Workers job runner: when a send starts (or resumes), one job per unsent chunk goes on the
 * Cloudflare Queue. A failure here is logged, not thrown: the ledger is written and the send has
 * started, so the editor's request should say so, and requeueOverdue finds the chunks within a
 * minute or two.
 */
export function queueJobRunner(queue: Queue<ChunkJob>, db: Database, logger: Logger): JobRunner {
  return {
    async chunksReady(campaignId) {
      try {
        const jobs = await unsentJobs(db, campaignId);
        await enqueueJobs(queue, jobs);
        logger.info('send jobs queued', { campaignId, chunks: jobs.length });
      } catch (err) {
        logger.error('send jobs could not be queued; the sending cron will queue them', { campaignId, error: String(err) });
      }
    },
  };
}

/**
 * The sweep run by the every-minute cron: gives overdue chunks a new job (see overdueJobs for
 * what counts as overdue). Bounded per run so one sweep stays within a Worker's subrequests.
 */
export async function requeueOverdue(
  args: { db: Database; queue: Queue<ChunkJob>; logger: Logger; now: number; sendRate: number },
  options: { graceMs?: number; limit?: number } = {},
): Promise<number> {
  const jobs = await overdueJobs(args.db, {
    now: args.now,
    sendRate: args.sendRate,
    graceMs: options.graceMs ?? 5 * 60_000,
    limit: options.limit ?? 1000,
  });
  if (jobs.length === 0) return 0;
  await enqueueJobs(args.queue, jobs);
  args.logger.warn('overdue chunks queued again', { chunks: jobs.length });
  return jobs.length;
}
