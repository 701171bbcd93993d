import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCampaign } from '../../src/campaigns/queries';
import { freezeChunk } from '../../src/sending/chunk-queries';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { createCampaign, drain, ledger, permanentBounce, postWebhook, reader, resendEvent, startCampaign, WEBHOOK_SECRET } from './support';

/**
 * Since drizzle 0017 each campaign email carries its delivery's id as a tag, and webhooks find
 * the delivery by it; the message id is indexed only for emails sent without it (before then).
 * Both kinds must keep working: Resend sends events about an email for days after it went out.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await seedReaders(t.db, 3);
});
afterEach(() => t.close());

const deliveryTagOf = (m: { tags: { name: string; value: string }[] }) => m.tags.find((tag) => tag.name === 'delivery')?.value;
const counts = async (id: number) => {
  const [row] = await t.db.all<Record<string, number>>(sql`select sent, delivered, bounced, complained from campaign_counts where campaign_id = ${id}`);
  return row;
};

describe('the delivery tag', () => {
  it('each campaign email carries its delivery’s id, and an event is applied to the delivery it names', async () => {
    const id = await createCampaign(t);
    await startCampaign(t, id);
    await drain(t);
    const rows = await ledger(t, id);
    const sent = await t.outbox();
    expect(sent.map(deliveryTagOf).sort()).toEqual(rows.map((r) => String(r.id)).sort());
    const res = await postWebhook(t, resendEvent('email.delivered', { emailId: rows[1]!.providerId!, deliveryId: rows[1]!.id, to: rows[1]!.email, campaignId: id }));
    expect(res.body.outcome).toBe('applied');
    expect((await ledger(t, id)).map((r) => r.deliveredAt !== null)).toEqual([false, true, false]);
    expect(await counts(id)).toMatchObject({ sent: 3, delivered: 1 });
  });

  it('a tag naming a delivery whose message id is another is not applied to it', async () => {
    const id = await createCampaign(t);
    await startCampaign(t, id);
    await drain(t);
    const [first] = await ledger(t, id);
    // Another install with the same delivery ids (a staging copy) sharing the webhook.
    const res = await postWebhook(t, resendEvent('email.delivered', { emailId: 'outbox_999', deliveryId: first!.id, to: first!.email, campaignId: id }));
    expect(res.body.outcome).toBe('pending');
    expect((await ledger(t, id))[0]!.deliveredAt).toBeNull();
  });

  it('an event without any tags is still found, by its reader’s address', async () => {
    const id = await createCampaign(t);
    await startCampaign(t, id);
    await drain(t);
    const [, second] = await ledger(t, id);
    const event = resendEvent('email.bounced', { emailId: second!.providerId!, to: second!.email, data: { ...permanentBounce, tags: undefined } });
    expect((await postWebhook(t, event)).body.outcome).toBe('applied');
    expect((await ledger(t, id))[1]!.bouncedAt).not.toBeNull();
    expect(await counts(id)).toMatchObject({ bounced: 1 });
  });
});

describe('emails sent before the tag (tagged is null)', () => {
  it('a chunk fixed before is retried without the tag (the same batch), and its events are found by message id, early ones too', async () => {
    const id = await createCampaign(t);
    await startCampaign(t, id);
    // The chunk was fixed by a sender before drizzle 0017: it left `tagged` null.
    await freezeChunk(t.db, (await getCampaign(t.db, id))!, 0, t.deps.now());
    await t.db.run(sql`update deliveries set tagged = null where campaign_id = ${id}`);
    const rows = await ledger(t, id);
    // An event that arrives before the id is stored waits, as before.
    const futureId = `outbox_${(await t.outbox()).length + 3}`;
    const early = await postWebhook(t, resendEvent('email.opened', { emailId: futureId, to: rows[2]!.email, campaignId: id }));
    expect(early.body.outcome).toBe('pending');

    await drain(t);
    const sent = await t.outbox();
    expect(sent.map(deliveryTagOf)).toEqual([undefined, undefined, undefined]);
    const after = await ledger(t, id);
    expect(after[2]!.providerId).toBe(futureId);

    const res = await postWebhook(t, resendEvent('email.complained', { emailId: after[0]!.providerId!, to: after[0]!.email, campaignId: id }));
    expect(res.body.outcome).toBe('applied');
    const now = await ledger(t, id);
    expect(now[0]!.complainedAt).not.toBeNull();
    // The webhook's sweep applied the early open.
    expect(now[2]!.openedAt).not.toBeNull();
    expect((await reader(t, after[0]!.subscriberId)).status).toBe('complained');
    expect(await counts(id)).toMatchObject({ sent: 3, complained: 1 });
  });

  it('a delivery sent before the migration is found by its message id after it', async () => {
    const id = await createCampaign(t);
    await startCampaign(t, id);
    await drain(t);
    // As the code before drizzle 0017 left a sent delivery: the message id, no tag.
    await t.db.run(sql`update deliveries set tagged = null where campaign_id = ${id}`);
    const [first] = await ledger(t, id);
    const res = await postWebhook(t, resendEvent('email.delivered', { emailId: first!.providerId!, to: first!.email, campaignId: id }));
    expect(res.body.outcome).toBe('applied');
    expect((await ledger(t, id))[0]!.deliveredAt).not.toBeNull();
    // Found through the index of untagged message ids, not by reading every delivery.
    const plan = await t.db.all<{ detail: string }>(
      sql`explain query plan select id from deliveries where provider_id = ${first!.providerId!} and tagged is null`,
    );
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX deliveries_provider_idx/);
  });
});
