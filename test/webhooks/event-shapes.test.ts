import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { createCampaign, drain, ledger, postWebhook, reader, startCampaign, WEBHOOK_SECRET, type LedgerRow } from './support';

/**
 * Resend events in every shape Resend sends: its documentation's examples and the `resend`
 * SDK's types leave out fields the OpenAPI spec lists, and some arrive as null. Each was refused
 * with 400 before, so Svix retried it for days and the bounced reader stayed active.
 */
let t: TestApp;
let rows: LedgerRow[];
let campaignId: number;

beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await seedReaders(t.db, 6);
  campaignId = await createCampaign(t);
  await startCampaign(t, campaignId);
  await drain(t);
  rows = await ledger(t, campaignId);
});
afterEach(() => t.close());

/** An event with only what Resend's documentation example shows, plus `data` overrides. */
const minimal = (type: string, row: LedgerRow, data: Record<string, unknown> = {}) => ({
  type,
  created_at: '2026-11-23T09:01:00.000Z',
  data: { email_id: row.providerId, created_at: '2026-11-23T09:00:00.000Z', from: 'x@news.example.org', to: [row.email], subject: 'Appeal', ...data },
});

describe('documented shapes are applied', () => {
  it('a permanent bounce without diagnosticCode (the SDK’s EmailBounce) stops mail to the reader', async () => {
    const res = await postWebhook(t, minimal('email.bounced', rows[0]!, { bounce: { message: 'The mailbox does not exist.', subType: 'Suppressed', type: 'Permanent' } }));
    expect(res).toMatchObject({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect((await reader(t, rows[0]!.subscriberId)).status).toBe('bounced');
  });

  it('a bounce with only its type still counts', async () => {
    const res = await postWebhook(t, minimal('email.bounced', rows[1]!, { bounce: { type: 'Permanent' } }));
    expect(res.body.outcome).toBe('applied');
    expect((await reader(t, rows[1]!.subscriberId)).status).toBe('bounced');
  });

  it('email.suppressed with only {message, type} stops mail to the reader', async () => {
    const res = await postWebhook(t, minimal('email.suppressed', rows[2]!, { suppressed: { message: 'On the suppression list.', type: 'OnAccountSuppressionList' } }));
    expect(res.body.outcome).toBe('applied');
    expect((await reader(t, rows[2]!.subscriberId)).status).toBe('bounced');
    expect((await ledger(t, campaignId))[2]!.status).toBe('failed');
  });

  it('broadcast_id, template_id and tags set to null, and unknown extra fields, are taken', async () => {
    const event = {
      ...minimal('email.delivered', rows[3]!, { broadcast_id: null, template_id: null, tags: null, something_new: { nested: [1, 2] } }),
      another_new_field: true,
    };
    const res = await postWebhook(t, event);
    expect(res).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect((await ledger(t, campaignId))[3]!.lastEvent).toBe('email.delivered');
  });

  it('tags as a list of {name, value} and a click without its details are taken', async () => {
    // As the email carried them (src/sending/campaign-messages.ts), the delivery's tag among them.
    const tags = [{ name: 'campaign', value: String(campaignId) }, { name: 'kind', value: 'appeal' }, { name: 'delivery', value: String(rows[4]!.id) }];
    expect((await postWebhook(t, minimal('email.clicked', rows[4]!, { tags, click: null }))).body.outcome).toBe('applied');
    expect((await ledger(t, campaignId))[4]!.clickedAt).not.toBeNull();
    expect((await postWebhook(t, minimal('email.failed', rows[5]!, { failed: {} }))).body.outcome).toBe('applied');
    expect((await ledger(t, campaignId))[5]!.error).toMatch(/failed at Resend/);
  });

  it('event types Broadside does not use are acknowledged', async () => {
    for (const type of ['contact.created', 'domain.updated', 'email.received', 'email.something_new']) {
      expect(await postWebhook(t, { type, created_at: '2026-11-23T09:01:00.000Z', data: { id: 'x' } })).toMatchObject({ status: 200, body: { ok: true, ignored: type } });
    }
  });

  it('an unknown bounce type is acknowledged and logged, and changes nothing', async () => {
    const res = await postWebhook(t, minimal('email.bounced', rows[0]!, { bounce: { type: 'Softish' } }));
    expect(res).toMatchObject({ status: 200, body: { ok: true, ignored: 'malformed' } });
    expect((await reader(t, rows[0]!.subscriberId)).status).toBe('active');
    expect(t.logs.some((l) => l.level === 'error' && /acknowledged but not applied/.test(l.message))).toBe(true);
  });
});
