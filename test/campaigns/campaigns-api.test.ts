import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/sending/send-loop';
import { seedArticles, seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const appeal = {
  kind: 'appeal',
  subject: 'Keep local news free to read',
  body: 'We rely on **readers like you**.\n\nEvery gift keeps the council reporter in the room.',
  donateUrl: 'https://news.example.org/donate',
};

const create = async (body: unknown) => {
  const res = await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const post = async (path: string, body?: unknown) => {
  const res = await t.admin(path, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
};
/** Runs the sender until nothing is left to do. */
const drain = () => runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });

describe('campaigns: drafts, previews, tests', () => {
  it('creates an appeal draft, edits it, previews it as HTML and text', async () => {
    const { status, body } = await create(appeal);
    expect(status).toBe(201);
    expect(body).toMatchObject({ kind: 'appeal', status: 'draft', subject: appeal.subject, counts: { audience: 0, queued: 0, sent: 0, failed: 0 } });

    const patched = await t.admin(`/admin/api/campaigns/${body.id}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Winter appeal', donateLabel: 'Give now' }) });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ subject: 'Winter appeal', donateLabel: 'Give now' });

    const html = await (await t.admin(`/admin/api/campaigns/${body.id}/preview`)).text();
    expect(html).toContain('<strong>readers like you</strong>');
    expect(html).toContain('https://news.example.org/donate');
    expect(html).toContain('Give now');
    const text = await (await t.admin(`/admin/api/campaigns/${body.id}/preview?format=text`)).text();
    expect(text).toContain('readers like you');
    expect(text).not.toContain('<');
  });

  it('test-sends to the given addresses, marked as a test and not counted', async () => {
    await seedReaders(t.db, 3);
    const { body } = await create(appeal);
    const res = await post(`/admin/api/campaigns/${body.id}/test`, { to: ['editor@example.org', 'Desk@Example.org'] });
    expect(res.status).toBe(200);
    const mail = await t.outbox();
    expect(mail.map((m) => m.to).sort()).toEqual(['Desk@example.org', 'editor@example.org']);
    expect(mail[0]!.subject).toBe(`[Test] ${appeal.subject}`);
    expect(mail[0]!.tags).toContainEqual({ name: 'test', value: 'true' });
    expect((await post(`/admin/api/campaigns/${body.id}/test`, { to: ['nope'] })).status).toBe(400);
    const after = await (await t.admin(`/admin/api/campaigns/${body.id}`)).json();
    expect(after).toMatchObject({ status: 'draft', counts: { sent: 0, audience: 0 } });
  });

  it('refuses bad bodies with 400 and a message', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'newsletter' }, /kind/],
      [{ ...appeal, donateUrl: 'javascript:alert(1)' }, /donateUrl/],
      [{ ...appeal, subject: 'Line\r\nBcc: x@example.org' }, /single line/],
      [{ ...appeal, body: '' }, /body/],
      [{ kind: 'digest', articleIds: [999] }, /No article with id 999/],
      [{ kind: 'custom', subject: 'Hi', topic: 'digest', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text foo="bar">x</mj-text></mj-column></mj-section></mj-body></mjml>' }, /MJML/],
      [{ kind: 'custom', subject: 'Hi', topic: 'sports', mjml: '<mjml></mjml>' }, /topic/],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const invalidMjml = await create(cases[5]![0]);
    expect(invalidMjml.body.error.errors[0].message).toMatch(/foo/);
    expect((await (await t.admin('/admin/api/campaigns')).json()).campaigns).toHaveLength(0);
  });
});

describe('campaigns: sending', () => {
  it('mails every active reader with the topic exactly once, and nobody else', async () => {
    const wanted = await seedReaders(t.db, 250, { name: 'Ada' });
    await seedReaders(t.db, 5, { appeals: false });
    await seedReaders(t.db, 5, { status: 'pending' });
    await seedReaders(t.db, 5, { status: 'unsubscribed' });
    await seedReaders(t.db, 5, { status: 'bounced' });
    await seedReaders(t.db, 5, { status: 'complained' });
    const { body } = await create(appeal);

    const started = await post(`/admin/api/campaigns/${body.id}/send`);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'sending', counts: { audience: 250, queued: 250, sent: 0 } });
    await drain();

    const done = await (await t.admin(`/admin/api/campaigns/${body.id}`)).json();
    expect(done).toMatchObject({ status: 'sent', counts: { audience: 250, queued: 0, sent: 250, failed: 0 } });
    const mail = await t.outbox();
    expect(mail).toHaveLength(250);
    expect(new Set(mail.map((m) => m.to)).size).toBe(250);
    const ids = new Set(wanted);
    const rows = await t.client.execute(`select id, email from subscribers`);
    const emailToId = new Map(rows.rows.map((r) => [String(r.email), Number(r.id)]));
    for (const m of mail) expect(ids.has(emailToId.get(m.to)!)).toBe(true);

    const one = mail[0]!;
    expect(one.headers['List-Unsubscribe']).toMatch(/^<http:\/\/broadside\.test\/unsubscribe\/[^>]+>$/);
    expect(one.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    // The delivery's own id too: webhooks find the delivery by it (src/webhooks/apply-event.ts).
    const [delivery] = (await t.client.execute({ sql: `select d.id from deliveries d join subscribers s on s.id = d.subscriber_id where d.campaign_id = ? and s.email = ?`, args: [body.id, one.to] })).rows;
    expect(one.tags).toEqual([{ name: 'campaign', value: String(body.id) }, { name: 'kind', value: 'appeal' }, { name: 'delivery', value: String(delivery!.id) }]);
    expect(one.html).toContain('Ada');
    expect(one.text).toContain('/unsubscribe/');
    expect(one.html).toContain(`/archive/${body.id}`);
  });

  it('a reader who unsubscribes from the campaign email is attributed to it', async () => {
    await seedReaders(t.db, 2);
    const { body } = await create(appeal);
    await post(`/admin/api/campaigns/${body.id}/send`);
    await drain();
    const [m] = await t.outbox();
    const link = pathOf(linkIn(m!.headers['List-Unsubscribe']!, '/unsubscribe'));
    expect((await t.app.request(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    const reader = (await (await t.admin(`/admin/api/subscribers?q=${encodeURIComponent(m!.to)}`)).json()).subscribers[0];
    const detail = await (await t.admin(`/admin/api/subscribers/${reader.id}`)).json();
    expect(detail.events[0]).toMatchObject({ type: 'unsubscribed', detail: { method: 'one-click', campaignId: body.id } });
  });

  it('readers who leave before their chunk is first tried are not mailed', async () => {
    const ids = await seedReaders(t.db, 150);
    const { body } = await create(appeal);
    await post(`/admin/api/campaigns/${body.id}/send`);
    // The last reader (in the second chunk) leaves after the send started.
    await t.client.execute({ sql: `update subscribers set status = 'unsubscribed' where id = ?`, args: [ids[149]!] });
    await drain();
    const campaign = await (await t.admin(`/admin/api/campaigns/${body.id}`)).json();
    expect(campaign.counts).toMatchObject({ audience: 150, sent: 149, skipped: 1 });
    expect(await t.outbox()).toHaveLength(149);
  });

  it('appeals skip readers who had one recently, and donors when asked', async () => {
    const ids = await seedReaders(t.db, 4);
    await seedReaders(t.db, 2, { tags: ['donor'] });
    const first = (await create({ ...appeal, excludeDonors: true })).body;
    await post(`/admin/api/campaigns/${first.id}/send`);
    await drain();
    expect((await t.outbox()).length).toBe(4);

    const newcomers = await seedReaders(t.db, 3);
    t.advance(3 * 24 * 3600 * 1000);
    const second = (await create(appeal)).body;
    await post(`/admin/api/campaigns/${second.id}/send`);
    await drain();
    // Only the newcomers and the donors (not excluded this time), not the first four.
    const s2 = await (await t.admin(`/admin/api/campaigns/${second.id}`)).json();
    expect(s2.counts.sent).toBe(5);
    expect(ids.length + newcomers.length).toBe(7);

    t.advance(15 * 24 * 3600 * 1000);
    const third = (await create(appeal)).body;
    await post(`/admin/api/campaigns/${third.id}/send`);
    await drain();
    expect((await (await t.admin(`/admin/api/campaigns/${third.id}`)).json()).counts.sent).toBe(9);
  });

  it('a scheduled campaign waits for its time', async () => {
    await seedReaders(t.db, 3);
    const { body } = await create(appeal);
    const at = new Date(t.deps.now() + 3600_000).toISOString();
    const res = await post(`/admin/api/campaigns/${body.id}/send`, { at });
    expect(res.body).toMatchObject({ status: 'scheduled', scheduledAt: at });
    await drain();
    expect(await t.outbox()).toHaveLength(0);
    t.advance(3600_000);
    await drain();
    expect(await t.outbox()).toHaveLength(3);
    expect((await (await t.admin(`/admin/api/campaigns/${body.id}`)).json()).status).toBe('sent');
  });

  it('illegal transitions are 409 and change nothing', async () => {
    await seedReaders(t.db, 1);
    const { body } = await create(appeal);
    expect((await post(`/admin/api/campaigns/${body.id}/resume`)).status).toBe(409);
    expect((await post(`/admin/api/campaigns/${body.id}/send`, { at: 'tomorrow' })).status).toBe(400);
    await post(`/admin/api/campaigns/${body.id}/send`);
    const edit = await t.admin(`/admin/api/campaigns/${body.id}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Changed' }) });
    expect(edit.status).toBe(409);
    expect((await post(`/admin/api/campaigns/${body.id}/send`)).status).toBe(409);
    await drain();
    for (const action of ['pause', 'resume', 'cancel', 'send']) {
      const res = await post(`/admin/api/campaigns/${body.id}/${action}`);
      expect(res.status, action).toBe(409);
      expect(res.body.error.message).toMatch(/sent campaign/);
    }
    expect(await t.outbox()).toHaveLength(1);
  });

  it('pause stops sending, progress shows, resume finishes; cancel drops the rest', async () => {
    await seedReaders(t.db, 300);
    const { body } = await create(appeal);
    await post(`/admin/api/campaigns/${body.id}/send`);
    await post(`/admin/api/campaigns/${body.id}/pause`);
    await drain();
    expect(await t.outbox()).toHaveLength(0);
    const paused = await (await t.admin(`/admin/api/campaigns/${body.id}`)).json();
    expect(paused).toMatchObject({ status: 'paused', counts: { queued: 300, sent: 0 } });

    await post(`/admin/api/campaigns/${body.id}/resume`);
    // One chunk only, then look at the progress.
    const { claimChunk } = await import('../../src/sending/chunk-queries');
    const { sendChunk, defaultSendPolicy } = await import('../../src/sending/send-chunk');
    await sendChunk(t.deps, (await claimChunk(t.db, { now: t.deps.now(), leaseMs: 60_000 }))!, defaultSendPolicy);
    const progress = await (await t.admin(`/admin/api/campaigns/${body.id}`)).json();
    expect(progress).toMatchObject({ status: 'sending', counts: { audience: 300, queued: 200, sent: 100 } });

    const cancelled = await post(`/admin/api/campaigns/${body.id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { sent: 100, queued: 0, skipped: 200 } });
    await drain();
    expect(await t.outbox()).toHaveLength(100);
  });

  it('a custom MJML campaign without the unsubscribe link cannot be sent', async () => {
    await seedReaders(t.db, 1);
    const mjml = (link: string) =>
      `<mjml><mj-body><mj-section><mj-column><mj-text>Dear {{name}}, our annual report is out.</mj-text>${link}</mj-column></mj-section></mj-body></mjml>`;
    const without = (await create({ kind: 'custom', subject: 'Annual report', topic: 'digest', mjml: mjml('') })).body;
    const res = await post(`/admin/api/campaigns/${without.id}/send`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/unsubscribe/);

    const withLink = (await create({ kind: 'custom', subject: 'Annual report', topic: 'digest', mjml: mjml('<mj-button href="{{unsubscribe_url}}">Unsubscribe</mj-button>') })).body;
    expect((await post(`/admin/api/campaigns/${withLink.id}/send`)).status).toBe(202);
    await drain();
    const [m] = await t.outbox();
    expect(m!.html).toMatch(/href="http:\/\/broadside\.test\/unsubscribe\/[^"]+"/);
    expect(m!.html).toContain('Dear reader');
  });
});

describe('weekly digest', () => {
  it('no articles: no digest, and the answer says why', async () => {
    // With FEED_URL set there are no sample articles (see test/articles/sample-feed.test.ts).
    t.close();
    t = await createTestApp({ env: { FEED_URL: 'https://news.example.org/feed/' } });
    const res = await post('/admin/api/digests/weekly');
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(false);
    expect(res.body.reason).toMatch(/No articles/);
  });

  it('builds one draft per ISO week from the week’s articles, never two', async () => {
    await seedArticles(t.db, 4, t.deps.now());
    await seedReaders(t.db, 2);
    const first = await post('/admin/api/digests/weekly');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, articleCount: 4, campaign: { kind: 'digest', status: 'draft', isoWeek: '2026-W48' } });
    expect(first.body.campaign.articleIds).toHaveLength(4);
    const again = await Promise.all([post('/admin/api/digests/weekly'), post('/admin/api/digests/weekly')]);
    for (const r of again) expect(r.body.created).toBe(false);
    expect((await (await t.admin('/admin/api/campaigns')).json()).campaigns).toHaveLength(1);

    // Next week: only what was published since.
    t.advance(7 * 24 * 3600 * 1000);
    expect((await post('/admin/api/digests/weekly')).body.created).toBe(false);
    await seedArticles(t.db, 1, t.deps.now());
    const next = await post('/admin/api/digests/weekly');
    expect(next.body).toMatchObject({ created: true, articleCount: 1, campaign: { isoWeek: '2026-W49' } });
  });

  it('in auto mode the digest is sent', async () => {
    const auto = await createTestApp({ env: { DIGEST_MODE: 'auto' } });
    await seedArticles(auto.db, 2, auto.deps.now());
    await seedReaders(auto.db, 3, { appeals: false });
    const res = await auto.admin('/admin/api/digests/weekly', { method: 'POST' });
    expect((await res.json()).campaign.status).toBe('sending');
    await runSendLoop(auto.deps, { untilIdle: true, idleMs: 5 });
    const mail = await auto.outbox();
    expect(mail).toHaveLength(3);
    expect(mail[0]!.html).toContain('the council meets again');
    auto.close();
  });
});
