/**
 * A send bigger than one chunk on Workers: full chunks of 100 through D1 (whose statements take
 * at most 100 bound parameters) and Resend's batch endpoint, several jobs per queue batch.
 */
import { describe, expect, it } from 'vitest';
import { workerContext } from '../../src/worker/context';
import { seedReaders } from '../support/factories';
import { campaignEmails, createCustomCampaign, sendNow } from './support/campaigns';
import { env, providerRequests, sendingEnds } from './support/worker-client';

describe('a send of several full chunks', () => {
  it('mails each of 250 readers once, one batch request per chunk of at most 100', async () => {
    const { deps } = await workerContext(env);
    const ids = await seedReaders(deps.db, 250, { prefix: 'chunked', name: 'Reader' });
    const id = await createCustomCampaign('Three chunks');
    const started = await sendNow(id);
    expect(started.counts.audience).toBeGreaterThanOrEqual(250);

    const done = await sendingEnds(id);
    expect(done.status).toBe('sent');
    expect(done.counts.sent).toBe(started.counts.audience);

    const emails = await campaignEmails(id);
    expect(emails).toHaveLength(started.counts.audience);
    expect(new Set(emails.map((e) => e.to[0])).size).toBe(emails.length);
    const seeded = emails.filter((e) => e.to[0]!.startsWith('chunked-'));
    expect(seeded).toHaveLength(ids.length);

    const batches = (await providerRequests()).filter((r) => r.idempotencyKey?.startsWith(`broadside-campaign-${id}-`));
    expect(batches).toHaveLength(Math.ceil(started.counts.audience / 100));
    expect(batches.every((r) => r.path === '/emails/batch' && r.status === 200 && r.emailCount! <= 100)).toBe(true);
  });
});
