import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '../../src/mailer/mailer';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { runSendLoop } from '../../src/sending/send-loop';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The sender keeps enough chunks in flight that a provider's answer time does not set the pace:
 * at SEND_RATE=50, against a provider taking 200 ms a batch, two chunks at a time could send at
 * most 10 requests a second (a fifth of the allowance) whatever the limiter allowed.
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

/** Sends an appeal to `readers` readers at `rate`; returns the most batches that were in flight at once. */
async function mostInFlight(rate: number, readers: number): Promise<number> {
  const resend = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate });
  let inFlight = 0;
  let most = 0;
  const watching: Mailer = {
    kind: 'resend',
    send: (message, options) => resend.send(message, options),
    sendBatch: async (messages, options) => {
      most = Math.max(most, ++inFlight);
      try {
        return await resend.sendBatch(messages, options);
      } finally {
        inFlight--;
      }
    },
  };
  t = await createTestApp({ realClock: true, env: { SEND_RATE: String(rate) }, mailer: () => watching });
  await seedReaders(t.db, readers);
  const created = await (
    await t.admin('/admin/api/campaigns', {
      method: 'POST',
      body: JSON.stringify({ kind: 'appeal', subject: 'Lanes', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
    })
  ).json();
  await t.admin(`/admin/api/campaigns/${created.id}/send`, { method: 'POST' });
  fake.inject({ kind: 'delay', ms: 200, times: 1_000 });
  await runSendLoop(t.deps, { untilIdle: true, idleMs: 20 });
  const counts = await (await t.admin(`/admin/api/campaigns/${created.id}`)).json();
  expect(counts).toMatchObject({ status: 'sent', counts: { audience: readers, sent: readers, failed: 0 } });
  return most;
}

describe('chunks in flight', () => {
  it('at 50 requests a second, keeps enough batches in flight for a slow provider, and no more than a dozen', async () => {
    // 50 a second × 0.2 s an answer: 10 in flight at least; each holds a built chunk in memory.
    const most = await mostInFlight(50, 2_000);
    expect(most).toBeGreaterThanOrEqual(10);
    expect(most).toBeLessThanOrEqual(12);
  });

  it('at the default 2 requests a second, keeps two', async () => {
    expect(await mostInFlight(2, 600)).toBe(2);
  });
});
