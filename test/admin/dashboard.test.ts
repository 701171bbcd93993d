import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { startFakeResend } from '../support/fake-resend';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { signIn } from './support/desk';

let t: TestApp;
afterEach(() => t?.close());

const DAY = 24 * 3600 * 1000;

/** A campaign that went to `n` readers, `complained` of whom complained and `bounced` bounced. */
async function sentCampaign(subject: string, n: number, o: { complained?: number; bounced?: number; at: number }) {
  const ids = await seedReaders(t.db, n);
  const [c] = await t.db.all<{ id: number }>(sql`insert into campaigns (kind, status, subject, topic, content, started_at, finished_at, audience_count)
    values ('digest', 'sent', ${subject}, 'digest', '{"kind":"digest","intro":"","articleIds":[],"featuredId":null,"appealBlock":null}', ${o.at}, ${o.at}, ${n}) returning id`);
  for (const [i, id] of ids.entries()) {
    await t.db.run(sql`insert into deliveries (campaign_id, subscriber_id, chunk, status, sent_at, delivered_at, complained_at, bounced_at)
      values (${c!.id}, ${id}, 0, 'sent', ${o.at}, ${i < n - (o.bounced ?? 0) ? o.at : null}, ${i < (o.complained ?? 0) ? o.at : null}, ${i >= n - (o.bounced ?? 0) ? o.at : null})`);
  }
  return c!.id;
}

describe('dashboard', () => {
  it('shows readers by status, sign-ups per week, the latest campaigns and a complaint warning', async () => {
    t = await createTestApp();
    const now = t.deps.now();
    await seedReaders(t.db, 4, { status: 'pending' });
    // Sign-ups: 3 this week (it began on Monday at midnight, 9 hours ago), 2 three weeks ago.
    await t.db.run(sql`insert into subscribers (email, status, consent_at) values ('w1@example.org','active',${now - 3600_000}), ('w2@example.org','active',${now - 7200_000}), ('w3@example.org','pending',${now})`);
    await t.db.run(sql`insert into subscribers (email, status, consent_at) values ('o1@example.org','active',${now - 21 * DAY}), ('o2@example.org','active',${now - 21 * DAY})`);
    await sentCampaign('Week 47: the bridge reopens', 500, { complained: 1, bounced: 3, at: now - 2 * DAY });
    const s = await signIn(t, { token: TEST_ADMIN_TOKEN });
    const html = await (await t.app.request('/admin', { headers: { cookie: s.cookie } })).text();
    expect(html).toMatch(/<strong>5<\/strong><span>waiting for confirmation<\/span>/);
    expect(html).toContain('<svg class="chart"');
    expect(html).toContain('3 sign-ups');
    expect(html).toContain('2 sign-ups');
    expect(html).toContain('Week 47: the bridge reopens');
    // 1 complaint in 497 delivered is 0.20%: above Gmail's 0.1%, below the 0.3% hold.
    expect(html).toContain('0.20%');
    expect(html).toContain('above 0.1%');
    expect(html).toContain('0.60%'); // 3 bounces in 500 sent
  });

  it('with a Resend key, shows the sending domain\u2019s verification state from GET /domains', async () => {
    const fake = await startFakeResend({ domains: [{ name: 'news.example.org', status: 'pending' }] });
    try {
      t = await createTestApp({ env: { RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: fake.url } });
      const s = await signIn(t, { token: TEST_ADMIN_TOKEN });
      const html = await (await t.app.request('/admin', { headers: { cookie: s.cookie } })).text();
      expect(html).toMatch(/Sending domain <strong>news\.example\.org<\/strong>:.*pending/);
      expect(fake.requests().some((r) => r.method === 'GET' && r.path === '/domains')).toBe(true);
    } finally {
      await fake.stop();
    }
  });
});
