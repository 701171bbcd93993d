import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestSubscription } from '../../src/subscribers/subscribe';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  createCampaign,
  drain,
  ledger,
  permanentBounce,
  postWebhook,
  reader,
  resendEvent,
  startCampaign,
  transientBounce,
  WEBHOOK_SECRET,
  type LedgerRow,
} from './support';

let t: TestApp;
let campaignId: number;
let rows: LedgerRow[];

beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  await seedReaders(t.db, 4);
  campaignId = await createCampaign(t);
  await startCampaign(t, campaignId);
  await drain(t);
  rows = await ledger(t, campaignId);
});
afterEach(() => t.close());

const about = (row: LedgerRow, type: string, data: Record<string, unknown> = {}, at?: number) =>
  resendEvent(type, { emailId: row.providerId!, deliveryId: row.id, to: row.email, campaignId, data, at });
const row = async (i: number) => (await ledger(t, campaignId))[i]!;

describe('Resend events on the delivery and the reader', () => {
  it('a permanent bounce stops all mail to that reader, and the history says why and from which campaign', async () => {
    const target = rows[0]!;
    expect((await postWebhook(t, about(target, 'email.bounced', permanentBounce))).body.outcome).toBe('applied');
    expect(await row(0)).toMatchObject({ bouncedAt: Date.UTC(2026, 10, 23, 9, 1), lastEvent: 'email.bounced' });
    expect((await row(0)).error).toMatch(/Permanent bounce \(NoEmail\)/);
    const who = await reader(t, target.subscriberId);
    expect(who.status).toBe('bounced');
    expect(who.events[0]).toMatchObject({ type: 'bounced', detail: { campaignId, reason: 'permanent bounce', bounceType: 'NoEmail' } });
    // The others are untouched, and the next campaign leaves the bounced reader out.
    expect((await reader(t, rows[1]!.subscriberId)).status).toBe('active');
    const next = await createCampaign(t, { kind: 'custom', subject: 'News', topic: 'appeals', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text><a href="{{unsubscribe_url}}">Leave</a></mj-text></mj-column></mj-section></mj-body></mjml>' });
    await startCampaign(t, next);
    expect((await ledger(t, next)).map((r) => r.subscriberId)).not.toContain(target.subscriberId);
  });

  it('a transient bounce is recorded on the delivery and the reader stays subscribed', async () => {
    await postWebhook(t, about(rows[1]!, 'email.bounced', transientBounce));
    expect(await row(1)).toMatchObject({ bouncedAt: null, lastEvent: 'email.bounced:transient' });
    expect((await row(1)).error).toMatch(/Transient bounce \(MailboxFull\): The mailbox is full/);
    expect((await reader(t, rows[1]!.subscriberId)).status).toBe('active');
    // Delivered after all on a later try.
    await postWebhook(t, about(rows[1]!, 'email.delivered', {}, Date.UTC(2026, 10, 23, 11)));
    expect(await row(1)).toMatchObject({ deliveredAt: Date.UTC(2026, 10, 23, 11), lastEvent: 'email.delivered' });
  });

  it('a complaint marks the reader complained, never to be mailed again', async () => {
    await postWebhook(t, about(rows[2]!, 'email.delivered'));
    await postWebhook(t, about(rows[2]!, 'email.complained'));
    expect(await row(2)).toMatchObject({ complainedAt: Date.UTC(2026, 10, 23, 9, 1), lastEvent: 'email.complained' });
    const who = await reader(t, rows[2]!.subscriberId);
    expect(who.status).toBe('complained');
    expect(who.events[0]).toMatchObject({ type: 'complained', detail: { campaignId, reason: 'marked the email as spam' } });
  });

  it('records delivered, delayed, opened and clicked, and never moves the last event backwards', async () => {
    const r = rows[3]!;
    await postWebhook(t, about(r, 'email.delivery_delayed'));
    expect((await row(3)).lastEvent).toBe('email.delivery_delayed');
    await postWebhook(t, about(r, 'email.delivered', {}, Date.UTC(2026, 10, 23, 10)));
    await postWebhook(t, about(r, 'email.opened', {}, Date.UTC(2026, 10, 23, 12)));
    const click = { click: { ipAddress: '198.51.100.4', link: 'https://news.example.org/donate', timestamp: '2026-11-23T12:01:00.000Z', userAgent: 'Mail' } };
    await postWebhook(t, about(r, 'email.clicked', click, Date.UTC(2026, 10, 23, 12, 1)));
    // Out of order: Resend's "sent" and a stale "delayed" arrive last.
    await postWebhook(t, about(r, 'email.sent'));
    await postWebhook(t, about(r, 'email.delivery_delayed'));
    expect(await row(3)).toMatchObject({
      status: 'sent',
      deliveredAt: Date.UTC(2026, 10, 23, 10),
      openedAt: Date.UTC(2026, 10, 23, 12),
      clickedAt: Date.UTC(2026, 10, 23, 12, 1),
      lastEvent: 'email.clicked',
    });
  });

  it('failed and suppressed emails are failed deliveries; a suppressed address stops being mailed', async () => {
    await postWebhook(t, about(rows[0]!, 'email.failed', { failed: { reason: 'reached_daily_quota' } }));
    expect(await row(0)).toMatchObject({ status: 'failed', lastEvent: 'email.failed', error: 'failed at Resend: reached_daily_quota' });
    expect((await reader(t, rows[0]!.subscriberId)).status).toBe('active');

    const suppressed = { suppressed: { diagnosticCode: [], message: 'On the suppression list.', reason: 'previous_complaint', type: 'OnAccountSuppressionList' } };
    await postWebhook(t, about(rows[1]!, 'email.suppressed', suppressed));
    expect(await row(1)).toMatchObject({ status: 'failed', error: 'suppressed by Resend (previous_complaint)' });
    expect((await reader(t, rows[1]!.subscriberId)).status).toBe('complained');

    const counts = (await (await t.admin(`/admin/api/campaigns/${campaignId}`)).json()).counts;
    expect(counts).toMatchObject({ sent: 2, failed: 2 });
  });

  it('a bounced confirmation email (no delivery row) marks the pending reader by address', async () => {
    await requestSubscription(t.deps, { email: 'Nobody@mail.example.org', source: 'https://news.example.org/2026/river' });
    await t.settle();
    const [pending] = await t.db.all<{ id: number }>(sql`select id from subscribers where email = 'Nobody@mail.example.org'`);
    // Resend may echo the address with a display name and another case in the domain.
    const event = resendEvent('email.bounced', { emailId: 'not-a-ledger-id', to: 'Nobody <Nobody@Mail.Example.ORG>', data: permanentBounce });
    expect((await postWebhook(t, event)).body.outcome).toBe('unmatched');
    const who = await reader(t, pending!.id);
    expect(who.status).toBe('bounced');
    expect(who.events[0]).toMatchObject({ type: 'bounced', detail: { campaignId: null } });
  });
});

describe('failures while applying', () => {
  it('answer 500 and give the svix-id back, so the Svix retry is applied rather than ignored as a repeat', async () => {
    const id = 'msg_retry_after_failure';
    // Break the complaint guard's table for one request.
    await t.client.execute('alter table complaint_holds rename to complaint_holds_away');
    const failed = await postWebhook(t, about(rows[0]!, 'email.complained'), { id });
    expect(failed.status).toBe(500);
    await t.client.execute('alter table complaint_holds_away rename to complaint_holds');

    const retried = await postWebhook(t, about(rows[0]!, 'email.complained'), { id });
    expect(retried).toEqual({ status: 200, body: { ok: true, outcome: 'applied' } });
    const stats = await (await t.admin(`/admin/api/campaigns/${campaignId}/stats`)).json();
    expect(stats).toMatchObject({ complained: 1, complaintHold: { complaints: 1, base: 4 } });
    const who = await reader(t, rows[0]!.subscriberId);
    expect(who.events.filter((e: { type: string }) => e.type === 'complained')).toHaveLength(1);
  });
});

describe('events that arrive before the send loop stored the message id', () => {
  it('waits for the id and then applies them; a bounce stops mail to the reader at once', async () => {
    await seedReaders(t.db, 2);
    const id = await createCampaign(t);
    await startCampaign(t, id);
    const [first, second] = await ledger(t, id);
    // Not sent yet: the outbox will number its messages after the ones already stored.
    const stored = (await t.outbox()).length;
    const futureId = (n: number) => `outbox_${stored + n}`;
    const early = (n: number, row: LedgerRow, type: string, data = {}) =>
      resendEvent(type, { emailId: futureId(n), deliveryId: row.id, to: row.email, campaignId: id, data });

    expect((await postWebhook(t, early(1, first!, 'email.delivered'))).body.outcome).toBe('pending');
    expect((await postWebhook(t, early(2, second!, 'email.bounced', permanentBounce))).body.outcome).toBe('pending');
    // The bounce did not wait: the reader is out of every later audience already.
    expect((await reader(t, second!.subscriberId)).status).toBe('bounced');
    let stats = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(stats).toMatchObject({ delivered: 0, bounced: 0, pendingEvents: 2 });

    // The send goes ahead; the bounced reader, frozen out before the chunk's first try, is skipped.
    await drain(t);
    const after = await ledger(t, id);
    expect(after.map((r) => r.providerId)).toEqual([futureId(1), null]);
    expect(after[1]!.status).toBe('skipped');

    // The next webhook (or reading the stats) applies what was waiting.
    stats = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(stats).toMatchObject({ delivered: 1, pendingEvents: 1 });
    expect((await ledger(t, id))[0]!.deliveredAt).toBe(Date.UTC(2026, 10, 23, 9, 1));
  });

  it('is applied by the sweep after a later webhook', async () => {
    await seedReaders(t.db, 1);
    const id = await createCampaign(t);
    await startCampaign(t, id);
    const [only] = await ledger(t, id);
    const futureId = `outbox_${(await t.outbox()).length + 1}`;
    await postWebhook(t, resendEvent('email.opened', { emailId: futureId, deliveryId: only!.id, to: only!.email, campaignId: id }));
    await drain(t);
    // Any webhook triggers the sweep once it has been answered.
    await postWebhook(t, about(rows[0]!, 'email.delivered'));
    expect((await ledger(t, id))[0]!.openedAt).toBe(Date.UTC(2026, 10, 23, 9, 1));
  });
});
