import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Mailer } from '../../src/mailer/mailer';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { runSendLoop } from '../../src/sending/send-loop';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The sender keeps enough chunks in flight that a provider's answer time does not set the pace:
 * at SEND_RATE=50, against a provider taking 200 ms a batch, two chunks at a time could send at
 * most 10 requests a second (a fifth of the allowance) whatever the limiter allowed. And while
 * there is nothing to send, its lanes do not each keep asking the database.
 */
let fake: FakeResend;
let t: TestApp | undefined;

beforeAll(async () => {
  fake = await startFakeResend({ rate: Infinity });
});
afterAll(() => fake.stop());
afterEach(() => {
  t?.close();
  t = undefined;
  fake.reset();
});

/** An app sending through the real mailer at `rate`, noting the most batches in flight at once. */
async function sender(rate: number) {
  const resend = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate });
  const seen = { inFlight: 0, most: 0 };
  const watching: Mailer = {
    kind: 'resend',
    send: (message, options) => resend.send(message, options),
    sendBatch: async (messages, options) => {
      seen.most = Math.max(seen.most, ++seen.inFlight);
      try {
        return await resend.sendBatch(messages, options);
      } finally {
        seen.inFlight--;
      }
    },
  };
  const app = await createTestApp({ realClock: true, env: { SEND_RATE: String(rate) }, mailer: () => watching });
  t = app;
  fake.inject({ kind: 'delay', ms: 200, times: 1_000 });
  const startAppeal = async () => {
    const created = await (
      await app.admin('/admin/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ kind: 'appeal', subject: 'Lanes', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
      })
    ).json();
    await app.admin(`/admin/api/campaigns/${created.id}/send`, { method: 'POST' });
    return created.id as number;
  };
  const counts = async (id: number) => (await (await app.admin(`/admin/api/campaigns/${id}`)).json()) as { status: string; counts: Record<string, number> };
  return { app, seen, startAppeal, counts };
}

describe('chunks in flight', () => {
  it('at 50 requests a second, keeps enough batches in flight for a slow provider, and no more than a dozen', async () => {
    const s = await sender(50);
    await seedReaders(s.app.db, 2_000);
    const id = await s.startAppeal();
    await runSendLoop(s.app.deps, { untilIdle: true, idleMs: 20 });
    expect(await s.counts(id)).toMatchObject({ status: 'sent', counts: { audience: 2_000, sent: 2_000, failed: 0 } });
    // 50 a second × 0.2 s an answer: 10 in flight at least; each holds a built chunk in memory.
    expect(s.seen.most).toBeGreaterThanOrEqual(10);
    expect(s.seen.most).toBeLessThanOrEqual(12);
  });

  it('at the default 2 requests a second, keeps two', async () => {
    const s = await sender(2);
    await seedReaders(s.app.db, 600);
    const id = await s.startAppeal();
    await runSendLoop(s.app.deps, { untilIdle: true, idleMs: 20 });
    expect(await s.counts(id)).toMatchObject({ status: 'sent', counts: { sent: 600 } });
    expect(s.seen.most).toBe(2);
  });

  it('while idle, one lane looks for work; a send that starts then gets all of them', async () => {
    const s = await sender(50);
    await seedReaders(s.app.db, 2_000);
    // Every claim the loop tries (claimChunk's UPDATE … RETURNING goes through db.all).
    let claims = 0;
    const all = s.app.deps.db.all.bind(s.app.deps.db);
    s.app.deps.db.all = ((query: Parameters<typeof all>[0]) => {
      claims++;
      return all(query);
    }) as typeof all;
    const stop = new AbortController();
    const idleMs = 50;
    const started = Date.now();
    const sending = runSendLoop(s.app.deps, { idleMs, housekeepingMs: 60_000, signal: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const looks = (Date.now() - started) / idleMs;
    // 12 lanes each asking every idleMs would be 12 claims a look; one lookout is one (and the
    // first look of each lane, and the start's housekeeping).
    expect(claims).toBeLessThan(12 + 1 + 2 * looks);
    expect(claims).toBeGreaterThanOrEqual(looks / 2);

    const id = await s.startAppeal();
    await vi.waitUntil(async () => (await s.counts(id)).status === 'sent', { timeout: 20_000, interval: 50 });
    stop.abort();
    await sending;
    expect((await s.counts(id)).counts).toMatchObject({ sent: 2_000, failed: 0 });
    expect(s.seen.most).toBeGreaterThanOrEqual(10);
  });
});
