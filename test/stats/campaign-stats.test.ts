import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, ledger, permanentBounce, postWebhook, resendEvent, startCampaign, WEBHOOK_SECRET } from '../webhooks/support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
});
afterEach(() => t.close());

const tracked = (html: string) => [...html.matchAll(/http:\/\/broadside\.test\/r\/[\w.-]+\/[\w.-]+/g)].map((m) => pathOf(m[0]));
const stats = async (id: number) => {
  const res = await t.admin(`/admin/api/campaigns/${id}/stats`);
  expect(res.status).toBe(200);
  return res.json();
};

describe('GET /admin/api/campaigns/:id/stats', () => {
  it('adds up a send: audience, sent, delivered, bounced, complained, clicks per link, unsubscribes and rates', async () => {
    await seedReaders(t.db, 5);
    await seedReaders(t.db, 2, { status: 'unsubscribed' });
    const id = await createCampaign(t, appeal);
    await startCampaign(t, id);

    const early = await stats(id);
    expect(early).toMatchObject({ audience: 5, queued: 5, sent: 0, delivered: 0, opened: null, unsubscribes: 0 });
    expect(early.rates).toMatchObject({ base: 'sent', delivered: null, clicked: null });

    await drain(t);
    const rows = await ledger(t, id);
    const mail = await t.outbox();
    const mailTo = (email: string) => mail.find((m) => m.to === email)!;

    // Resend: four delivered, one bounced for good, one complaint.
    for (const row of rows.slice(0, 4)) await postWebhook(t, resendEvent('email.delivered', { emailId: row.providerId!, deliveryId: row.id, to: row.email, campaignId: id }));
    await postWebhook(t, resendEvent('email.bounced', { emailId: rows[4]!.providerId!, deliveryId: rows[4]!.id, to: rows[4]!.email, campaignId: id, data: permanentBounce }));
    await postWebhook(t, resendEvent('email.complained', { emailId: rows[3]!.providerId!, deliveryId: rows[3]!.id, to: rows[3]!.email, campaignId: id }));

    // Readers click: the first one twice on the first link, the second on the first and second.
    const first = tracked(mailTo(rows[0]!.email).html);
    const second = tracked(mailTo(rows[1]!.email).html);
    await t.app.request(first[0]!);
    await t.app.request(first[0]!);
    await t.app.request(second[0]!);
    const otherLink = second.find((p) => p.split('/')[2] !== second[0]!.split('/')[2])!;
    await t.app.request(otherLink);

    // The third leaves with the List-Unsubscribe one-click POST of this campaign's email.
    const leave = pathOf(linkIn(mailTo(rows[2]!.email).headers['List-Unsubscribe']!, '/unsubscribe'));
    expect((await t.app.request(leave, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    const s = await stats(id);
    expect(s).toMatchObject({
      campaign: { id, kind: 'appeal', status: 'sent' },
      audience: 5,
      sent: 5,
      failed: 0,
      delivered: 4,
      bounced: 1,
      complained: 1,
      opened: null,
      clicked: 2,
      unsubscribes: 1,
      pendingEvents: 0,
    });
    expect(s.clicks.tracked).toBe(true);
    expect(s.clicks.links[0]).toMatchObject({ position: 0, unique: 2, total: 3 });
    expect(s.clicks.links.find((l: { url: string; total: number }) => l.url !== s.clicks.links[0].url && l.total > 0)).toMatchObject({ unique: 1, total: 1 });
    expect(s.clicks).toMatchObject({ unique: 3, total: 4 });
    expect(s.clicks.links.map((l: { url: string }) => l.url)).toEqual(
      expect.arrayContaining(['https://news.example.org/donate?from=email', 'https://news.example.org/about/money']),
    );
    expect(s.rates).toEqual({ base: 'delivered', delivered: 0.8, bounced: 0.2, complained: 0.25, opened: null, clicked: 0.5, unsubscribed: 0.25 });
  });

  it('counts only unsubscribes made from this campaign', async () => {
    await seedReaders(t.db, 3);
    const first = await createCampaign(t, appeal);
    await startCampaign(t, first);
    await drain(t);
    const custom = {
      kind: 'custom',
      subject: 'Notes',
      topic: 'digest',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text><a href="{{unsubscribe_url}}">Leave</a></mj-text></mj-column></mj-section></mj-body></mjml>',
    };
    const second = await createCampaign(t, custom);
    await startCampaign(t, second);
    await drain(t);
    const mail = await t.outbox();
    const fromSecond = mail.filter((m) => m.subject === 'Notes');
    for (const m of fromSecond.slice(0, 2)) await t.app.request(pathOf(linkIn(m.headers['List-Unsubscribe']!, '/unsubscribe')), { method: 'POST' });
    expect((await stats(second)).unsubscribes).toBe(2);
    expect((await stats(first)).unsubscribes).toBe(0);
  });

  it('answers 404 for an unknown campaign', async () => {
    expect((await t.admin('/admin/api/campaigns/999/stats')).status).toBe(404);
    expect((await t.app.request('/admin/api/campaigns/1/stats')).status).toBe(401);
  });
});
