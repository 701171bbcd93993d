import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { claimChunk } from '../../src/sending/chunk-queries';
import { defaultSendPolicy, sendChunk } from '../../src/sending/send-chunk';
import { runSendLoop } from '../../src/sending/send-loop';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * What a retry sends, and whether it is sent at all, when the first try's answer was lost: the
 * local Resend server accepts that try, drops the connection, and keeps the key for 24 hours on
 * the app's own clock, as Resend does.
 */
let fake: FakeResend;
let t: TestApp;

beforeAll(async () => {
  fake = await startFakeResend({ rate: Infinity, now: () => t.deps.now() });
});
afterAll(() => fake.stop());
afterEach(() => {
  t?.close();
  fake.reset();
});

const HOUR = 3600_000;
const policy = { ...defaultSendPolicy, baseBackoffMs: 0, maxBackoffMs: 0 };

async function sendingAppeal(readers: number) {
  t = await createTestApp({
    env: { UNSUBSCRIBE_MAILTO: 'leave@news.example.org', MAIL_REPLY_TO: 'desk@news.example.org' },
    mailer: () => new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000, timeoutMs: 2000, backoffMs: 10, maxBackoffMs: 50 }),
  });
  await seedReaders(t.db, readers);
  const created = await t.admin('/admin/api/campaigns', {
    method: 'POST',
    body: JSON.stringify({ kind: 'appeal', subject: 'Winter appeal', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
  });
  const { id } = (await created.json()) as { id: number };
  expect((await t.admin(`/admin/api/campaigns/${id}/send`, { method: 'POST' })).status).toBe(202);
  return id;
}

/** The first chunk's first try: Resend accepts it, and the answer never arrives. */
async function firstTryAnswerLost() {
  fake.inject({ kind: 'disconnect', when: 'after', times: 1 });
  const claim = await claimChunk(t.db, { now: t.deps.now(), leaseMs: policy.leaseMs });
  expect(await sendChunk(t.deps, claim!, policy)).toBe('retry');
  expect(fake.requests().map((r) => r.outcome)).toEqual(['accepted_then_disconnect']);
}

const campaign = async (id: number) => (await t.admin(`/admin/api/campaigns/${id}`)).json();
const timesReceived = () => {
  const counts = new Map<string, number>();
  for (const e of fake.emails()) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
};

describe('a retry after a lost answer', () => {
  it('sends what the first try sent, even if sender, reply-to, public URL and mailto changed in between', async () => {
    const id = await sendingAppeal(150);
    await firstTryAnswerLost();
    const before = fake.emails()[0]!;

    // The operator edits the configuration and restarts before the retry.
    Object.assign(t.deps.config, {
      mailFrom: 'Renamed Ledger <news@other.example.org>',
      mailReplyTo: 'elsewhere@other.example.org',
      publicUrl: 'https://moved.example.org',
      unsubscribeMailto: 'gone@other.example.org',
    });
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5, policy });

    // The retry was Resend's replay of the first try, not a 409 that fails the chunk.
    expect(fake.requests().map((r) => r.outcome)).toContain('replayed');
    expect(await campaign(id)).toMatchObject({ status: 'sent', counts: { audience: 150, sent: 150, failed: 0 } });
    const counts = timesReceived();
    expect(counts.size).toBe(150);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // The second chunk, first tried after the change, goes out as the send began, too.
    for (const e of fake.emails()) {
      expect(e.from).toBe(before.from);
      expect(e.headers?.['List-Unsubscribe']).toContain('mailto:leave@news.example.org');
      expect(e.headers?.['List-Unsubscribe']).toContain('http://broadside.test/unsubscribe/');
    }
  });

  it('is not made once Resend has forgotten the key: the chunk is set aside and an editor told', async () => {
    const id = await sendingAppeal(150);
    await firstTryAnswerLost();

    // The campaign is paused (by an editor, or an outage) and resumed a day later.
    expect((await t.admin(`/admin/api/campaigns/${id}/pause`, { method: 'POST' })).status).toBe(200);
    t.advance(25 * HOUR);
    expect((await t.admin(`/admin/api/campaigns/${id}/resume`, { method: 'POST' })).status).toBe(200);
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5, policy, concurrency: 1 });

    const held = await campaign(id);
    expect(held.status).toBe('paused');
    expect(held.statusReason).toMatch(/answer to an earlier try of chunk 0 was lost/);
    expect(held.statusReason).toMatch(/100 readers/);
    expect(held.counts).toMatchObject({ failed: 100, queued: 50, sent: 0 });
    // Nothing was posted again: the first chunk's readers got the email once, from the first try.
    expect(fake.requests()).toHaveLength(1);

    // The editor has read the reason and resumes: the rest go, the set-aside chunk does not.
    expect((await t.admin(`/admin/api/campaigns/${id}/resume`, { method: 'POST' })).status).toBe(200);
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5, policy });
    expect(await campaign(id)).toMatchObject({ status: 'sent', counts: { audience: 150, sent: 50, failed: 100 } });
    const counts = timesReceived();
    expect(counts.size).toBe(150);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('is made within the window: a retry an hour later gets the replay', async () => {
    const id = await sendingAppeal(100);
    await firstTryAnswerLost();
    t.advance(HOUR);
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5, policy });
    expect(await campaign(id)).toMatchObject({ status: 'sent', counts: { sent: 100, failed: 0 } });
    expect(fake.requests().map((r) => r.outcome)).toEqual(['accepted_then_disconnect', 'replayed']);
  });
});
