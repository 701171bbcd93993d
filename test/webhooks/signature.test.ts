import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  createCampaign,
  drain,
  ledger,
  newSvixId,
  OTHER_SECRET,
  postWebhook,
  resendEvent,
  signedRequest,
  startCampaign,
  WEBHOOK_SECRET,
} from './support';

let t: TestApp;
let emailId: string;
let deliveryId: number;
let to: string;
let campaignId: number;

beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await seedReaders(t.db, 1);
  campaignId = await createCampaign(t);
  await startCampaign(t, campaignId);
  await drain(t);
  const [row] = await ledger(t, campaignId);
  emailId = row!.providerId!;
  deliveryId = row!.id;
  to = row!.email;
});
afterEach(() => t.close());

const delivered = () => resendEvent('email.delivered', { emailId, deliveryId, to, campaignId });
const deliveredAt = async () => (await ledger(t, campaignId))[0]!.deliveredAt;

describe('POST /webhooks/resend: signatures', () => {
  it('applies an event signed with the configured secret', async () => {
    const res = await postWebhook(t, delivered());
    expect(res).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    expect(await deliveredAt()).toBe(Date.UTC(2026, 10, 23, 9, 1));
  });

  it('refuses a request signed with another secret, and changes nothing', async () => {
    const res = await postWebhook(t, delivered(), { secret: OTHER_SECRET });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/signature/);
    expect(await deliveredAt()).toBeNull();
  });

  it('refuses a body changed after signing', async () => {
    const signed = JSON.stringify(delivered());
    const res = await postWebhook(t, signed, { bodyOverride: signed.replace('email.delivered', 'email.complained') });
    expect(res.status).toBe(401);
    expect((await ledger(t, campaignId))[0]).toMatchObject({ deliveredAt: null, complainedAt: null });
  });

  it('refuses timestamps more than five minutes away, either way', async () => {
    const now = t.deps.now();
    const old = await postWebhook(t, delivered(), { at: new Date(now - 5 * 60_000 - 1000) });
    expect(old.status).toBe(401);
    expect(old.body.error.message).toMatch(/5 minutes old/);
    const future = await postWebhook(t, delivered(), { at: new Date(now + 6 * 60_000) });
    expect(future.status).toBe(401);
    // Within the tolerance is fine.
    expect((await postWebhook(t, delivered(), { at: new Date(now - 4 * 60_000) })).status).toBe(200);
  });

  it('refuses a replayed old request even though its signature is genuine', async () => {
    const id = newSvixId();
    const first = signedRequest(t, delivered(), { id });
    const copy = first.clone();
    expect((await t.app.request(first)).status).toBe(200);
    t.advance(10 * 60_000);
    expect((await t.app.request(copy)).status).toBe(401);
  });

  it('accepts a header with several signatures when one of them is valid (secret rotation)', async () => {
    const res = await postWebhook(t, delivered(), {
      signature: (real) => `v1,${Buffer.alloc(32, 7).toString('base64')} v1a,c29tZXRoaW5n ${real} v1,bm90LWEtbWFj`,
    });
    expect(res.status).toBe(200);
    expect(await deliveredAt()).not.toBeNull();
  });

  it('refuses a header whose signatures are all wrong', async () => {
    const bad = `v1,${Buffer.alloc(32, 1).toString('base64')} v1,${Buffer.alloc(32, 2).toString('base64')}`;
    expect((await postWebhook(t, delivered(), { signature: () => bad })).status).toBe(401);
  });

  it('refuses requests without the Svix headers', async () => {
    const res = await t.app.request('/webhooks/resend', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivered()) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/svix-id/);
  });
});

describe('POST /webhooks/resend: payloads', () => {
  it('ignores a repeated svix-id: the second copy is acknowledged and changes nothing', async () => {
    const id = newSvixId();
    expect((await postWebhook(t, delivered(), { id })).body).toEqual({ ok: true, outcome: 'applied' });
    const first = await deliveredAt();
    // Svix retries with the same id, a new timestamp and a new signature.
    t.advance(60_000);
    const again = resendEvent('email.delivered', { emailId, deliveryId, to, campaignId, at: Date.UTC(2026, 10, 23, 9, 30) });
    expect(await postWebhook(t, again, { id })).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    expect(await deliveredAt()).toBe(first);
    // A complaint sent twice makes one history entry.
    const complaintId = newSvixId();
    await postWebhook(t, resendEvent('email.complained', { emailId, deliveryId, to, campaignId }), { id: complaintId });
    await postWebhook(t, resendEvent('email.complained', { emailId, deliveryId, to, campaignId }), { id: complaintId });
    const subscriberId = (await ledger(t, campaignId))[0]!.subscriberId;
    const detail = await (await t.admin(`/admin/api/subscribers/${subscriberId}`)).json();
    expect(detail.events.filter((e: { type: string }) => e.type === 'complained')).toHaveLength(1);
  });

  it('acknowledges and ignores event types it does not act on', async () => {
    const contact = { type: 'contact.created', created_at: '2026-11-23T09:00:00.000Z', data: { id: 'c1', audience_id: 'a1', email: to } };
    expect(await postWebhook(t, contact)).toEqual({ status: 200, body: { ok: true, ignored: 'contact.created' } });
    const future = { type: 'email.teleported', created_at: '2026-11-23T09:00:00.000Z', data: {} };
    expect((await postWebhook(t, future)).status).toBe(200);
    expect(await deliveredAt()).toBeNull();
  });

  // A retry cannot fix these: a 4xx would only make Svix retry for days and disable the endpoint.
  it('acknowledges (200) and logs a signed body that is not JSON', async () => {
    const res = await postWebhook(t, '{"type": "email.delivered", "data": ');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, ignored: 'not an event' });
    expect(t.logs.some((l) => l.level === 'error' && /not a Resend event/.test(l.message))).toBe(true);
  });

  it('acknowledges (200) and logs, naming the field, a known event without what a decision rests on', async () => {
    const event = delivered() as { data: Record<string, unknown> };
    delete event.data.email_id;
    const res = await postWebhook(t, event);
    expect(res.status).toBe(200);
    expect(res.body.issues.join(' ')).toMatch(/email_id/);
    const noBounce = resendEvent('email.bounced', { emailId, deliveryId, to, campaignId });
    expect((await postWebhook(t, noBounce)).body).toMatchObject({ ok: true, ignored: 'malformed' });
    expect(t.logs.filter((l) => l.level === 'error' && /what it rests on is missing/.test(l.message))).toHaveLength(2);
  });

  it('answers 413 to a body far larger than any Resend event', async () => {
    const event = { ...delivered(), padding: 'x'.repeat(300 * 1024) };
    expect((await postWebhook(t, event)).status).toBe(413);
  });

  it('refuses webhooks with 503 and says what to set when RESEND_WEBHOOK_SECRET is unset', async () => {
    const bare = await createTestApp();
    try {
      const res = await bare.app.request(signedRequest(bare, delivered()));
      expect(res.status).toBe(503);
      expect((await res.json()).error.message).toMatch(/RESEND_WEBHOOK_SECRET/);
    } finally {
      bare.close();
    }
  });
});
