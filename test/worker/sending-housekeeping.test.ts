/**
 * What the every-minute Cron Trigger and the dead-letter queue do for sending on Workers, where
 * no loop runs: start scheduled campaigns when they are due, send chunks whose job was lost, and
 * turn a dead-lettered job into a paused campaign that an editor can resume without loss.
 */
import type { ExecutionContext, MessageBatch, Queue } from '@cloudflare/workers-types/index.ts';
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../../src/worker';
import type { ChunkJob } from '../../src/sending/queue-chunks';
import { requeueOverdue } from '../../src/sending/queue-jobs';
import { startSend } from '../../src/sending/start-send';
import { workerContext } from '../../src/worker/context';
import { SENDING_CRON } from '../../src/worker/scheduled';
import { campaignEmails, createCustomCampaign } from './support/campaigns';
import { activeReader, adminJson, campaignStatus, env, runCron, sendingEnds } from './support/worker-client';

const onlyOnce = async (campaignId: number, readers: { email: string }[]) => {
  const emails = await campaignEmails(campaignId);
  for (const r of readers) expect(emails.filter((e) => e.to.includes(r.email))).toHaveLength(1);
};

/** Starts a send the way the Node CLI does against the same database: ledger, but no queue jobs. */
async function startWithoutJobs(campaignId: number) {
  const { deps } = await workerContext(env);
  await startSend({ ...deps, jobs: undefined }, campaignId);
  return deps;
}

describe('sending housekeeping on Workers', () => {
  it('the minute cron starts a scheduled campaign once its time has come', async () => {
    const readers = [await activeReader('scheduled-a')];
    const id = await createCustomCampaign('Scheduled appeal');
    // An hour ahead: however slow this machine, the next cron is before it.
    const at = new Date(Date.now() + 3600_000).toISOString();
    expect((await adminJson(`/admin/api/campaigns/${id}/send`, { method: 'POST', body: JSON.stringify({ at }) })).status).toBe('scheduled');

    await runCron(SENDING_CRON);
    expect((await campaignStatus(id)).status).toBe('scheduled');

    // Its time comes (the schedule moves, not the clock), and the next cron starts it.
    const { deps } = await workerContext(env);
    await deps.db.run(sql`update campaigns set scheduled_at = ${Date.now() - 1} where id = ${id}`);
    await runCron(SENDING_CRON);
    expect((await sendingEnds(id)).status).toBe('sent');
    await onlyOnce(id, readers);
  });

  it('chunks whose queue job was lost are queued again by the sweep', async () => {
    const readers = [await activeReader('lost-job-a'), await activeReader('lost-job-b')];
    const id = await createCustomCampaign('Lost job appeal');
    const deps = await startWithoutJobs(id);
    expect((await campaignStatus(id)).status).toBe('sending');

    // The minute cron's sweep leaves a chunk alone for a few minutes after it was due: its job
    // may only be waiting in the queue. Past that grace (none here) it gets a new job.
    const sweep = (graceMs?: number) =>
      requeueOverdue(
        { db: deps.db, queue: env.SEND_QUEUE as Queue<ChunkJob>, logger: deps.logger, now: Date.now(), sendRate: deps.config.sendRate },
        { graceMs },
      );
    expect(await sweep()).toBe(0);
    expect(await sweep(0)).toBeGreaterThanOrEqual(1);
    expect((await sendingEnds(id)).status).toBe('sent');
    await onlyOnce(id, readers);
  });

  it('a dead-lettered job pauses its campaign with the reason; resuming sends to everyone once', async () => {
    const readers = [await activeReader('dead-letter-a'), await activeReader('dead-letter-b')];
    const id = await createCustomCampaign('Dead letter appeal');
    await startWithoutJobs(id);

    const batch = createMessageBatch('broadside-send-chunks-dlq', [
      { id: 'dead-1', timestamp: new Date(), attempts: 1, body: { campaignId: id, chunk: 0 } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch<unknown>, env, ctx as ExecutionContext);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dead-1']);

    const paused = await campaignStatus(id);
    expect(paused.status).toBe('paused');
    expect(paused.statusReason).toMatch(/could not be sent after many tries/);
    expect(await campaignEmails(id)).toEqual([]);

    await adminJson(`/admin/api/campaigns/${id}/resume`, { method: 'POST' });
    expect((await sendingEnds(id)).status).toBe('sent');
    await onlyOnce(id, readers);
  });
});
