import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Mailer } from '../../src/mailer/mailer';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { runSendLoop } from '../../src/sending/send-loop';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Exactly once, through the real `resend` SDK against the local Resend-compatible server:
 * whatever the provider does (429s with retry-after, 500s, answers lost after the emails were
 * accepted, timeouts, a long outage), every reader in the audience gets the campaign once.
 */
let fake: FakeResend;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeResend({ rate: Infinity });
});
afterAll(() => fake.stop());
afterEach(() => {
  t?.close();
  fake.reset();
});

const fastPolicy = { leaseMs: 2_000, baseBackoffMs: 20, maxBackoffMs: 200, outageMs: 60_000 };

async function setup(readers: number) {
  t = await createTestApp({
    realClock: true,
    mailer: () => new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000, timeoutMs: 300, backoffMs: 10, maxBackoffMs: 50 }),
  });
  const ids = await seedReaders(t.db, readers);
  const res = await t.admin('/admin/api/campaigns', {
    method: 'POST',
    body: JSON.stringify({ kind: 'appeal', subject: 'Winter appeal', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
  });
  const campaign = (await res.json()) as { id: number };
  return { ids, campaign };
}

/** Every address the fake accepted, with how often. */
function receivedCounts() {
  const counts = new Map<string, number>();
  for (const email of fake.emails()) for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

async function expectExactlyOnce(campaignId: number, audience: number) {
  const counts = receivedCounts();
  expect(counts.size).toBe(audience);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const c = await (await t.admin(`/admin/api/campaigns/${campaignId}`)).json();
  expect(c).toMatchObject({ status: 'sent', counts: { audience, sent: audience, queued: 0, failed: 0 } });
  // Every delivery carries the id Resend gave its email.
  const ids = new Set(fake.emails().map((e) => e.id));
  const rows = await t.client.execute({ sql: 'select provider_id from deliveries where campaign_id = ?', args: [campaignId] });
  expect(rows.rows.every((r) => ids.has(String(r.provider_id)))).toBe(true);
}

describe('exactly once against a misbehaving provider', () => {
  it('survives 429s with retry-after, 500s, lost answers and timeouts', async () => {
    const { campaign } = await setup(1_000);
    // Held past the mailer's timeout until the retry has met "still in flight", then the replay.
    // First, so it meets a chunk's first try: later in the queue it could meet the retry of a
    // chunk whose answer was lost, which is answered from the key before any hold (a race).
    fake.inject({ kind: 'hold', times: 1 });
    fake.inject({ kind: 'status', status: 429, retryAfter: 0.2, times: 2 });
    fake.inject({ kind: 'status', status: 500, times: 2 });
    // Accepted by the provider, but the answer never arrives: only the idempotency key saves us.
    fake.inject({ kind: 'disconnect', when: 'after', times: 2 });
    fake.inject({ kind: 'status', status: 503, times: 1 });
    await t.admin(`/admin/api/campaigns/${campaign.id}/send`, { method: 'POST' });
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 20, policy: fastPolicy });
    await expectExactlyOnce(campaign.id, 1_000);
    const outcomes = fake.requests().map((r) => r.outcome);
    expect(outcomes).toEqual(
      expect.arrayContaining(['fault_429', 'fault_500', 'accepted_then_disconnect', 'concurrent_idempotent_requests', 'replayed']),
    );
  });

  it('a long outage pauses the campaign; resuming sends the rest without loss', async () => {
    const { campaign } = await setup(500);
    await t.admin(`/admin/api/campaigns/${campaign.id}/send`, { method: 'POST' });
    // Connections fail with no answer (no retry-after to go by), until the test ends the outage.
    fake.inject({ kind: 'outage', ms: 3_600_000, as: 'disconnect' });
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 20, policy: { ...fastPolicy, outageMs: 300 } });
    const paused = await (await t.admin(`/admin/api/campaigns/${campaign.id}`)).json();
    expect(paused.status).toBe('paused');
    expect(paused.statusReason).toMatch(/failed sends/);
    expect(paused.counts.sent).toBeLessThan(500);

    fake.clearFaults(); // the provider comes back
    expect((await t.admin(`/admin/api/campaigns/${campaign.id}/resume`, { method: 'POST' })).status).toBe(200);
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 20, policy: fastPolicy });
    await expectExactlyOnce(campaign.id, 500);
  });

  it('never sends more than SEND_RATE requests per second, and a confirmation goes ahead of the waiting chunks', async () => {
    fake.setRate(Infinity);
    const LANES = 4;
    const resend = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 10 });
    // Notes how many requests the provider had seen when the confirmation was handed to the
    // mailer; it only watches, the real mailer does the work.
    let seenWhenQueued = -1;
    const watching: Mailer = {
      kind: 'resend',
      send: (message, options) => {
        if (options?.priority === 'transactional') seenWhenQueued = fake.requests().length;
        return resend.send(message, options);
      },
      sendBatch: (messages, options) => resend.sendBatch(messages, options),
    };
    t = await createTestApp({ realClock: true, mailer: () => watching });
    await seedReaders(t.db, 2_000);
    const created = await (
      await t.admin('/admin/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ kind: 'appeal', subject: 'Rate', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
      })
    ).json();
    await t.admin(`/admin/api/campaigns/${created.id}/send`, { method: 'POST' });
    const sending = runSendLoop(t.deps, { untilIdle: true, idleMs: 20, concurrency: LANES });
    // Sign up once the send is under way (its first chunk has reached the provider).
    await vi.waitUntil(() => fake.requests().length >= 1, { timeout: 10_000, interval: 5 });
    await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'new.reader@example.org' }) });
    await t.settle();
    await sending;

    // Twenty chunks of 100, in the provider's order of arrival.
    const requests = fake.requests();
    const confirmation = requests.findIndex((r) => r.path === '/emails');
    expect(requests.filter((r) => r.path === '/emails/batch')).toHaveLength(20);
    // When the confirmation queued, at most one request per lane could already hold a slot; it
    // took the next one, ahead of every chunk still waiting.
    expect(seenWhenQueued).toBeGreaterThanOrEqual(1);
    expect(confirmation).toBeLessThanOrEqual(seenWhenQueued + LANES);
    expect(requests.slice(confirmation + 1).length).toBeGreaterThan(0);
    // Requests arrive one rate window after the request SEND_RATE places before them: a slot is
    // given only after that earlier request has been answered, so this holds on any machine.
    const arrivals = requests.map((r) => r.at);
    for (let i = 10; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 10]!).toBeGreaterThanOrEqual(1000);
    expect(receivedCounts().size).toBe(2_001);
  });
});
