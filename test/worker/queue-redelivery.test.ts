/**
 * Cloudflare Queues deliver at least once: a job can come again after its chunk was sent, or be
 * retried after Resend accepted the batch but the answer was lost. Either way every reader gets
 * the email once: the ledger decides what a job does, and the chunk's Idempotency-Key makes a
 * repeated request a replay at Resend.
 */
import type { ExecutionContext, MessageBatch } from '@cloudflare/workers-types/index.ts';
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker';
import { claimJobChunk } from '../../src/sending/queue-chunks';
import { startSend } from '../../src/sending/start-send';
import { workerContext } from '../../src/worker/context';
import { campaignEmails, createCustomCampaign, sendNow } from './support/campaigns';
import { activeReader, admin, env, injectFault, providerRequests, sendingEnds } from './support/worker-client';

const SEND_QUEUE = 'broadside-send-chunks';

/** Delivers one job to the Worker's queue handler, as Cloudflare does on a redelivery. */
async function deliver(job: { campaignId: number; chunk: number }, attempts = 2) {
  const id = `redelivery-${crypto.randomUUID()}`;
  const batch = createMessageBatch(SEND_QUEUE, [{ id, timestamp: new Date(), attempts, body: job }]);
  // The queue result says whether a message was retried, not after how long: watch the call.
  const retry = vi.spyOn(batch.messages[0]!, 'retry');
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx as ExecutionContext);
  const result = await getQueueResult(batch, ctx);
  return { id, result, retryDelays: retry.mock.calls.map(([options]) => options?.delaySeconds) };
}

const requestsFor = async (campaignId: number) =>
  (await providerRequests()).filter((r) => r.idempotencyKey?.startsWith(`broadside-campaign-${campaignId}-`));

describe('queue redelivery', () => {
  it('a job that comes again after its chunk was sent is acknowledged and sends nothing', async () => {
    const readers = [await activeReader('twice-a'), await activeReader('twice-b')];
    const id = await createCustomCampaign('Winter appeal');
    await sendNow(id);
    expect((await sendingEnds(id)).status).toBe('sent');
    const before = await campaignEmails(id);
    for (const r of readers) expect(before.filter((e) => e.to.includes(r.email))).toHaveLength(1);
    // The custom body was compiled from MJML inside workerd (mjml-browser).
    expect(before[0]!.html).toContain('Give today');
    const requestsBefore = await requestsFor(id);

    const { id: messageId, result } = await deliver({ campaignId: id, chunk: 0 });

    expect(result.explicitAcks).toContain(messageId);
    expect(result.retryMessages).toEqual([]);
    expect(await campaignEmails(id)).toHaveLength(before.length);
    expect(await requestsFor(id)).toHaveLength(requestsBefore.length);
  });

  it('when Resend accepts a batch but the answer is lost, the queue retries and nobody gets it twice', async () => {
    const readers = [await activeReader('lost-answer-a'), await activeReader('lost-answer-b')];
    const id = await createCustomCampaign('Spring appeal');
    // The next batch is accepted, then the connection drops before the answer.
    await injectFault({ kind: 'disconnect', when: 'after' });
    await sendNow(id);
    expect((await sendingEnds(id)).status).toBe('sent');

    const requests = await requestsFor(id);
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests[0]!.outcome).toBe('accepted_then_disconnect');
    expect(requests.at(-1)!.outcome).toBe('replayed');
    // One idempotency key for every try of the chunk.
    expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(1);
    const emails = await campaignEmails(id);
    for (const r of readers) expect(emails.filter((e) => e.to.includes(r.email))).toHaveLength(1);
    expect(new Set(emails.map((e) => e.to[0])).size).toBe(emails.length);
  });

  it('a job whose chunk another consumer holds comes back when that lease ends', async () => {
    await activeReader('held');
    const id = await createCustomCampaign('Held appeal');
    const { deps } = await workerContext(env);
    // Started without queue jobs (as the Node CLI would), then claimed by "another consumer".
    await startSend({ ...deps, jobs: undefined }, id);
    const held = await claimJobChunk(deps.db, { campaignId: id, chunk: 0, now: Date.now(), leaseMs: 60_000 });
    expect(held).not.toBeNull();

    const { id: messageId, result, retryDelays } = await deliver({ campaignId: id, chunk: 0 });

    expect(result.explicitAcks).not.toContain(messageId);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([messageId]);
    expect(retryDelays).toHaveLength(1);
    expect(retryDelays[0]).toBeGreaterThanOrEqual(60);
    expect(retryDelays[0]).toBeLessThanOrEqual(62);
    expect(await requestsFor(id)).toEqual([]);
    await admin(`/admin/api/campaigns/${id}/cancel`, { method: 'POST' });
  });
});
