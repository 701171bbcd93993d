import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { latestOutcomes, outcomeOf, readersByStatus, signupsPerWeek } from '../../src/admin/dashboard/queries';
import { deliveryCounts } from '../../src/campaigns/queries';
import { audienceSize } from '../../src/admin/preflight/audience';
import { audienceWhere } from '../../src/sending/audience';
import { seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, ledger, permanentBounce, postWebhook, resendEvent, startCampaign, WEBHOOK_SECRET } from '../webhooks/support';
import { signIn } from './support/desk';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET } });
});
afterEach(() => t.close());

/** The same numbers counted afresh from the rows, as the desk counted them before the running totals. */
async function freshCounts(campaignId: number) {
  const [row] = await t.db.all<Record<string, number>>(sql`
    select count(sent_at) as sent, count(delivered_at) as delivered, count(bounced_at) as bounced, count(complained_at) as complained
    from deliveries where campaign_id = ${campaignId}`);
  return { sent: Number(row!.sent), delivered: Number(row!.delivered), bounced: Number(row!.bounced), complained: Number(row!.complained) };
}
async function freshProgress(campaignId: number) {
  const rows = await t.db.all<{ status: string; n: number }>(sql`select status, count(*) as n from deliveries where campaign_id = ${campaignId} group by status`);
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const audience = rows.reduce((a, r) => a + Number(r.n), 0);
  return { audience, queued: by.queued ?? 0, sent: by.sent ?? 0, failed: by.failed ?? 0, skipped: by.skipped ?? 0 };
}
async function freshClicks(campaignId: number) {
  const [c] = await t.db.all<{ n: number }>(sql`select count(distinct subscriber_id) as n from link_clicks where campaign_id = ${campaignId} and subscriber_id is not null`);
  const links = await t.db.all<{ readers: number; clicks: number | null }>(sql`
    select count(c.id) as readers, sum(c.clicks) as clicks from campaign_links l left join link_clicks c on c.link_id = l.id and c.subscriber_id is not null
    where l.campaign_id = ${campaignId} group by l.id order by l.position`);
  const counted = await t.db.all<{ readers: number | null; clicks: number | null }>(sql`
    select k.readers, k.clicks from campaign_links l left join link_counts k on k.link_id = l.id where l.campaign_id = ${campaignId} order by l.position`);
  return {
    clickers: Number(c!.n),
    links: links.map((l) => [Number(l.readers), Number(l.clicks ?? 0)]),
    counted: counted.map((l) => [Number(l.readers ?? 0), Number(l.clicks ?? 0)]),
  };
}
async function freshStatuses() {
  const rows = await t.db.all<{ status: string; n: number }>(sql`select status, count(*) as n from subscribers group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, n]) => n !== 0));

describe('the desk\u2019s running totals (campaign_counts, subscriber_counts)', () => {
  it('follow a real send, its webhooks, clicks, an unsubscribe and an erasure, and match the rows', async () => {
    await seedReaders(t.db, 6);
    await seedReaders(t.db, 2, { status: 'pending' });
    const id = await createCampaign(t, appeal);
    await startCampaign(t, id);
    expect(await freshCounts(id)).toEqual({ sent: 0, delivered: 0, bounced: 0, complained: 0 });
    expect(await outcomeOf(t.db, { id, subject: 's', kind: 'appeal', status: 'sending', startedAt: 1 })).toMatchObject({ sent: 0, delivered: 0 });
    expect(await deliveryCounts(t.db, id)).toEqual({ audience: 6, queued: 6, sent: 0, failed: 0, skipped: 0 });

    await drain(t);
    const rows = await ledger(t, id);
    for (const row of rows.slice(0, 5)) await postWebhook(t, resendEvent('email.delivered', { emailId: row.providerId!, deliveryId: row.id, to: row.email, campaignId: id }));
    // The same event twice changes nothing.
    await postWebhook(t, resendEvent('email.delivered', { emailId: rows[0]!.providerId!, deliveryId: rows[0]!.id, to: rows[0]!.email, campaignId: id }));
    await postWebhook(t, resendEvent('email.bounced', { emailId: rows[5]!.providerId!, deliveryId: rows[5]!.id, to: rows[5]!.email, campaignId: id, data: permanentBounce }));
    await postWebhook(t, resendEvent('email.complained', { emailId: rows[4]!.providerId!, deliveryId: rows[4]!.id, to: rows[4]!.email, campaignId: id }));

    const mail = await t.outbox();
    const mailTo = (email: string) => mail.find((m) => m.to === email)!;
    const click = [...mailTo(rows[0]!.email).html.matchAll(/http:\/\/broadside\.test\/r\/[\w.-]+\/[\w.-]+/g)].map((m) => pathOf(m[0]))[0]!;
    await t.app.request(click);
    await t.app.request(click);
    const second = [...mailTo(rows[1]!.email).html.matchAll(/http:\/\/broadside\.test\/r\/[\w.-]+\/[\w.-]+/g)].map((m) => pathOf(m[0]));
    await t.app.request(second[0]!);
    await t.app.request(second.find((p) => p.split('/')[2] !== second[0]!.split('/')[2])!);
    const leave = pathOf(linkIn(mailTo(rows[2]!.email).headers['List-Unsubscribe']!, '/unsubscribe'));
    expect((await t.app.request(leave, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);

    const [campaign] = await t.db.all<{ id: number; subject: string; kind: string; status: string; started_at: number }>(sql`select * from campaigns where id = ${id}`);
    const c = { id, subject: campaign!.subject, kind: campaign!.kind, status: campaign!.status, startedAt: campaign!.started_at };
    expect(await freshCounts(id)).toEqual({ sent: 6, delivered: 5, bounced: 1, complained: 1 });
    expect(await deliveryCounts(t.db, id)).toEqual(await freshProgress(id));
    expect(await deliveryCounts(t.db, id)).toMatchObject({ audience: 6, queued: 0, sent: 6 });
    expect(await outcomeOf(t.db, c)).toMatchObject({ ...(await freshCounts(id)), clickers: 2, unsubscribes: 1 });
    const clicks = await freshClicks(id);
    expect(clicks.counted).toEqual(clicks.links);
    expect(clicks.links.filter(([r]) => (r ?? 0) > 0).length).toBe(2);
    expect(nonZero(await readersByStatus(t.db))).toEqual(await freshStatuses());
    // The API's stats count everything afresh: the desk agrees with them.
    const api = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(api).toMatchObject({ sent: 6, delivered: 5, bounced: 1, complained: 1, unsubscribes: 1 });

    // Erasing a reader keeps the campaign's ledger numbers (the row stays) and drops the reader,
    // and their clicks stop counting as a reader's (their rows lose the reader), as before.
    const erased = rows[1]!.subscriberId!;
    expect((await t.admin(`/admin/api/subscribers/${erased}`, { method: 'DELETE' })).status).toBe(204);
    expect(await outcomeOf(t.db, c)).toMatchObject({ sent: 6, delivered: 5, bounced: 1, complained: 1, clickers: 1 });
    const after = await freshClicks(id);
    expect(after.clickers).toBe(1);
    expect(after.counted).toEqual(after.links);
    expect(nonZero(await readersByStatus(t.db))).toEqual(await freshStatuses());

    // The results page shows them.
    const s = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const html = await (await t.app.request(`/admin/campaigns/${id}/results`, { headers: { cookie: s.cookie } })).text();
    expect(html).toMatch(/data-figure="delivered"><strong>5<\/strong>/);
    expect(html).toMatch(/data-figure="unsubscribed"><strong>1<\/strong>/);
    expect(html).toMatch(/data-figure="readers who clicked"><strong>1<\/strong>/);
    expect(html).toContain('2 clicks in all'); // the erased reader's two no longer count as a reader's
  });

  it('stay right when rows are written, changed and deleted by hand, and when a campaign is deleted', async () => {
    const ids = await seedReaders(t.db, 4);
    const [c] = await t.db.all<{ id: number }>(sql`insert into campaigns (kind, status, subject, topic, content, started_at, audience_count) values ('digest', 'sent', 'By hand', 'digest', '{"kind":"digest","intro":"","articleIds":[],"featuredId":null,"appealBlock":null}', 1, 3) returning id`);
    const id = c!.id;
    await t.db.run(sql`insert into deliveries (campaign_id, subscriber_id, chunk, status, sent_at, delivered_at) values (${id}, ${ids[0]}, 0, 'sent', 1, 2), (${id}, ${ids[1]}, 0, 'sent', 1, null), (${id}, ${ids[2]}, 0, 'queued', null, null)`);
    await t.db.run(sql`update deliveries set sent_at = 3, bounced_at = 4 where campaign_id = ${id} and subscriber_id = ${ids[2]}`);
    await t.db.run(sql`update deliveries set delivered_at = null, complained_at = 5 where campaign_id = ${id} and subscriber_id = ${ids[0]}`);
    await t.db.run(sql`update deliveries set delivered_at = 6 where campaign_id = ${id} and subscriber_id = ${ids[1]}`);
    await t.db.run(sql`update deliveries set delivered_at = 7 where campaign_id = ${id} and subscriber_id = ${ids[1]}`);
    await t.db.run(sql`update deliveries set status = 'failed' where campaign_id = ${id} and subscriber_id = ${ids[0]}`);
    await t.db.run(sql`update deliveries set status = 'skipped' where campaign_id = ${id} and subscriber_id = ${ids[2]}`);
    expect(await deliveryCounts(t.db, id)).toEqual(await freshProgress(id));
    expect(await deliveryCounts(t.db, id)).toEqual({ audience: 3, queued: 0, sent: 1, failed: 1, skipped: 1 });
    await t.db.run(sql`delete from deliveries where campaign_id = ${id} and subscriber_id = ${ids[2]}`);
    const counted = await freshCounts(id);
    expect(counted).toEqual({ sent: 2, delivered: 1, bounced: 0, complained: 1 });
    const [outcome] = await latestOutcomes(t.db, 5);
    expect(outcome).toMatchObject(counted);

    await t.db.run(sql`update subscribers set status = 'bounced' where id = ${ids[3]}`);
    await t.db.run(sql`update subscribers set status = 'bounced' where id = ${ids[3]}`);
    await t.db.run(sql`update subscribers set name = 'Renamed' where id = ${ids[2]}`);
    await t.db.run(sql`delete from subscribers where id = ${ids[0]}`);
    expect(nonZero(await readersByStatus(t.db))).toEqual(await freshStatuses());
    expect(await readersByStatus(t.db)).toMatchObject({ active: 2, bounced: 1 });

    // Sign-ups per week follow consent times as they are written, moved and deleted.
    const now = t.deps.now();
    await t.db.run(sql`update subscribers set consent_at = ${now - 8 * 24 * 3600_000} where id = ${ids[1]}`);
    await t.db.run(sql`update subscribers set consent_at = null where id = ${ids[2]}`);
    await t.db.run(sql`insert into subscribers (email, status, consent_at) values ('late@example.org', 'pending', ${now})`);
    const weeks = await signupsPerWeek(t.db, { now, weeks: 12 });
    const fresh = await Promise.all(
      weeks.map(async (w) => Number((await t.db.all<{ n: number }>(sql`select count(*) as n from subscribers where consent_at >= ${w.start} and consent_at < ${w.start + 7 * 24 * 3600_000}`))[0]!.n)),
    );
    expect(weeks.map((w) => w.count)).toEqual(fresh);
    expect(fresh.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    await t.db.run(sql`delete from campaigns where id = ${id}`);
    expect(await t.db.all(sql`select * from campaign_counts where campaign_id = ${id}`)).toEqual([]);
  });

  it('count a campaign\u2019s unsubscribes as its stats do afresh: by link and one-click, once a reader, not an editor\u2019s or a complaint, and not after erasure', async () => {
    await seedReaders(t.db, 6);
    const [outsider] = await seedReaders(t.db, 1, { status: 'pending' });
    const id = await createCampaign(t, appeal);
    await startCampaign(t, id);
    await drain(t);
    const rows = await ledger(t, id);
    const mail = await t.outbox();
    const mailTo = (email: string) => mail.find((m) => m.to === email)!;
    const c = { id, subject: 's', kind: 'appeal', status: 'sent', startedAt: 1 };
    // The API's count (src/stats/campaign-stats.ts), from the events themselves.
    const fresh = async () => Number((await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json()).unsubscribes);
    const both = async () => [(await outcomeOf(t.db, c)).unsubscribes, await fresh()];
    expect(await both()).toEqual([0, 0]);

    // The unsubscribe page's button (method "link"), and a mail client's one-click POST, twice.
    const link = pathOf(linkIn(mailTo(rows[0]!.email).html, '/unsubscribe'));
    expect((await t.app.request(link, { method: 'POST' })).status).toBe(200);
    const oneClick = pathOf(linkIn(mailTo(rows[1]!.email).headers['List-Unsubscribe']!, '/unsubscribe'));
    for (let i = 0; i < 2; i++) expect((await t.app.request(oneClick, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect(await both()).toEqual([2, 2]);

    // A complaint stops mail to the reader but is not an unsubscribe; an editor's carries no campaign.
    await postWebhook(t, resendEvent('email.complained', { emailId: rows[2]!.providerId!, deliveryId: rows[2]!.id, to: rows[2]!.email, campaignId: id }));
    expect((await t.admin(`/admin/api/subscribers/${rows[3]!.subscriberId}`, { method: 'PATCH', body: JSON.stringify({ status: 'unsubscribed' }) })).status).toBe(200);
    expect(await both()).toEqual([2, 2]);

    // By hand: a second event of a reader who already counts, one of a reader outside the ledger,
    // one whose campaign id is text; then one going, a ledger row going, a reader deleted.
    const event = (who: number, campaignId: unknown) =>
      t.db.run(sql`insert into subscriber_events (subscriber_id, type, detail) values (${who}, 'unsubscribed', ${JSON.stringify({ method: 'link', campaignId })})`);
    await event(rows[0]!.subscriberId!, id);
    await event(outsider!, id);
    await event(rows[4]!.subscriberId!, String(id));
    expect(await both()).toEqual([2, 2]);
    await event(rows[4]!.subscriberId!, id);
    await event(rows[5]!.subscriberId!, id);
    expect(await both()).toEqual([4, 4]);
    await t.db.run(sql`delete from subscriber_events where id = (select max(id) from subscriber_events where subscriber_id = ${rows[0]!.subscriberId} and type = 'unsubscribed')`);
    expect(await both()).toEqual([4, 4]);
    await t.db.run(sql`delete from deliveries where campaign_id = ${id} and subscriber_id = ${rows[4]!.subscriberId}`);
    expect(await both()).toEqual([3, 3]);
    await t.db.run(sql`delete from subscribers where id = ${rows[5]!.subscriberId}`);
    expect(await both()).toEqual([2, 2]);

    // Erasure cuts the ledger row's reader, then deletes the events: the reader stops counting once.
    expect((await t.admin(`/admin/api/subscribers/${rows[1]!.subscriberId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await both()).toEqual([1, 1]);
    expect((await t.admin(`/admin/api/subscribers/${rows[0]!.subscriberId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await both()).toEqual([0, 0]);
    const s = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const html = await (await t.app.request(`/admin/campaigns/${id}/results`, { headers: { cookie: s.cookie } })).text();
    expect(html).toMatch(/data-figure="unsubscribed"><strong>0<\/strong>/);
  });

  it('the send page’s audience of a digest or custom campaign is what the send’s WHERE clause counts', async () => {
    await seedReaders(t.db, 30);
    await seedReaders(t.db, 4, { digest: false });
    await seedReaders(t.db, 3, { appeals: false });
    await seedReaders(t.db, 5, { status: 'pending' });
    await seedReaders(t.db, 2, { status: 'unsubscribed', digest: false });
    const ids = await seedReaders(t.db, 3);
    await t.db.run(sql`update subscribers set status = 'bounced' where id = ${ids[0]}`);
    await t.db.run(sql`update subscribers set wants_digest = 0 where id = ${ids[1]}`);
    const c = { id: 0, kind: 'digest', topic: 'digest', excludeDonors: false } as const;
    for (const topic of ['digest', 'appeals'] as const) {
      const campaign = { ...c, topic } as unknown as Parameters<typeof audienceSize>[1];
      const where = audienceWhere(campaign, { now: t.deps.now(), appealMinDays: 14 });
      const [fresh] = await t.db.all<{ n: number }>(sql`select count(*) as n from subscribers s where ${where}`);
      expect(await audienceSize(t.deps, campaign), topic).toBe(Number(fresh!.n));
    }
    expect(await audienceSize(t.deps, { ...c } as unknown as Parameters<typeof audienceSize>[1])).toBe(30 + 3 + 1);
  });
});

