import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, ledger, postWebhook, resendEvent, startCampaign, WEBHOOK_SECRET, type LedgerRow } from '../webhooks/support';

let t: TestApp;
afterEach(() => t?.close());

const HOUR = 3600_000;
const customDigest = {
  kind: 'custom',
  subject: 'Council notes',
  topic: 'digest',
  mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Notes. <a href="{{unsubscribe_url}}">Leave</a></mj-text></mj-column></mj-section></mj-body></mjml>',
};

const campaign = async (id: number) => (await t.admin(`/admin/api/campaigns/${id}`)).json();
const post = (path: string, body?: unknown) => t.admin(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

/**
 * A sent appeal to 400 readers, all delivered (set directly: the delivered webhooks themselves
 * are tested elsewhere), a scheduled appeal, an appeal that is sending and a scheduled digest.
 */
async function world(env: Record<string, string> = {}) {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, ...env } });
  await seedReaders(t.db, 400);
  const sent = await createCampaign(t, appeal);
  await startCampaign(t, sent);
  await drain(t);
  await t.db.run(sql`update deliveries set delivered_at = ${t.deps.now()} where campaign_id = ${sent}`);
  const rows = await ledger(t, sent);

  const scheduled = await createCampaign(t, { ...appeal, subject: 'Year-end appeal' });
  expect((await post(`/admin/api/campaigns/${scheduled}/send`, { at: new Date(t.deps.now() + 48 * HOUR).toISOString() })).status).toBe(202);
  await seedReaders(t.db, 30); // new readers, so the running appeal has an audience
  const running = await createCampaign(t, { ...appeal, subject: 'Welcome appeal' });
  await startCampaign(t, running);
  const digest = await createCampaign(t, customDigest);
  await post(`/admin/api/campaigns/${digest}/send`, { at: new Date(t.deps.now() + 24 * HOUR).toISOString() });
  return { sent, rows, scheduled, running, digest };
}

const complaint = (row: LedgerRow, campaignId: number) => resendEvent('email.complained', { emailId: row.providerId!, deliveryId: row.id, to: row.email, campaignId });

describe('complaint guard', () => {
  it('holds scheduled and sending appeals once complaints pass 0.3% of delivered, says why, and lets an editor resume', async () => {
    const w = await world();
    // 1 of 400 is 0.25%: nothing happens.
    await postWebhook(t, complaint(w.rows[0]!, w.sent));
    expect((await campaign(w.scheduled)).status).toBe('scheduled');
    expect((await campaign(w.running)).status).toBe('sending');

    // 2 of 400 is 0.5%: both appeals are held, the digest is not.
    await postWebhook(t, complaint(w.rows[1]!, w.sent));
    const held = await campaign(w.scheduled);
    expect(held.status).toBe('paused');
    expect(held.statusReason).toMatch(new RegExp(`campaign #${w.sent} \\("Keep local news free to read"\\) drew 2 spam complaints from 400 delivered emails \\(0\\.5%, above the 0\\.3% limit\\)`));
    expect((await campaign(w.running)).status).toBe('paused');
    expect((await campaign(w.digest)).status).toBe('scheduled');
    // While held, the sender sends nothing of the running appeal.
    const before = (await t.outbox()).length;
    await drain(t);
    expect((await t.outbox()).length).toBe(before);

    // The editor looks and resumes both.
    expect((await post(`/admin/api/campaigns/${w.scheduled}/resume`)).status).toBe(200);
    expect((await post(`/admin/api/campaigns/${w.running}/resume`)).status).toBe(200);
    expect((await campaign(w.scheduled)).status).toBe('scheduled');
    expect((await campaign(w.running)).status).toBe('sending');

    // More complaints about the same campaign keep coming in: the editor already decided.
    await postWebhook(t, complaint(w.rows[2]!, w.sent));
    await postWebhook(t, complaint(w.rows[3]!, w.sent));
    expect((await campaign(w.scheduled)).status).toBe('scheduled');
    expect((await campaign(w.running)).status).toBe('sending');
    await drain(t);
    expect((await campaign(w.running)).counts).toMatchObject({ audience: 30, sent: 30 });

    const stats = await (await t.admin(`/admin/api/campaigns/${w.sent}/stats`)).json();
    expect(stats.complained).toBe(4);
    expect(stats.complaintHold).toMatchObject({ complaints: 2, base: 400, threshold: 0.003 });
  });

  it('holds appeals at a lower COMPLAINT_THRESHOLD', async () => {
    const w = await world({ COMPLAINT_THRESHOLD: '0.1' });
    await postWebhook(t, complaint(w.rows[0]!, w.sent));
    const held = await campaign(w.scheduled);
    expect(held.status).toBe('paused');
    expect(held.statusReason).toMatch(/0\.25%, above the 0\.1% limit/);
  });

  it('another campaign crossing the line holds the appeals again', async () => {
    const w = await world();
    await postWebhook(t, complaint(w.rows[0]!, w.sent));
    await postWebhook(t, complaint(w.rows[1]!, w.sent));
    await post(`/admin/api/campaigns/${w.scheduled}/resume`);
    // The digest goes out to 430 readers and draws complaints of its own.
    await post(`/admin/api/campaigns/${w.digest}/cancel`);
    const digest = await createCampaign(t, customDigest);
    await startCampaign(t, digest);
    await drain(t);
    const rows = await ledger(t, digest);
    await t.db.run(sql`update deliveries set delivered_at = ${t.deps.now()} where campaign_id = ${digest}`);
    for (const row of rows.slice(10, 12)) await postWebhook(t, complaint(row, digest));
    const held = await campaign(w.scheduled);
    expect(held.status).toBe('paused');
    expect(held.statusReason).toContain(`campaign #${digest}`);
  });

  it('holds further appeals too: one started after the guard tripped waits until an editor resumes it', async () => {
    const w = await world();
    await postWebhook(t, complaint(w.rows[0]!, w.sent));
    await postWebhook(t, complaint(w.rows[1]!, w.sent));
    await seedReaders(t.db, 5);
    const later = await createCampaign(t, { ...appeal, subject: 'Spring appeal' });
    const res = await post(`/admin/api/campaigns/${later}/send`);
    expect(res.status).toBe(202);
    const waiting = await res.json();
    expect(waiting).toMatchObject({ status: 'paused', counts: { audience: 0 } });
    expect(waiting.statusReason).toMatch(/complaint guard/);
    // A digest is not an appeal: it goes.
    const digest = await createCampaign(t, customDigest);
    expect((await (await post(`/admin/api/campaigns/${digest}/send`)).json()).status).toBe('sending');

    // Resuming releases the hold; the appeal then starts as if scheduled now.
    expect((await post(`/admin/api/campaigns/${later}/resume`)).status).toBe(200);
    await drain(t);
    expect((await campaign(later)).status).toBe('sent');
    // Released: the next appeal goes straight out.
    const next = await createCampaign(t, { ...appeal, subject: 'Summer appeal' });
    expect((await (await post(`/admin/api/campaigns/${next}/send`)).json()).status).toBe('sending');
  });
});
