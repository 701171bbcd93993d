/**
 * ResendMailer's pacing, measured where it matters: the request arrival times recorded by the
 * local Resend-compatible server.
 */
import { Resend } from 'resend';
import { afterEach, expect, it } from 'vitest';
import type { EmailMessage } from '../../src/mailer/mailer';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { startFakeResend, type FakeResend, type RecordedRequest } from '../support/fake-resend';

let fake: FakeResend;
afterEach(() => fake.stop());

const message = (n: number) =>
  ({
    from: 'Broadside <news@example.org>',
    to: `reader${n}@example.com`,
    subject: `Issue ${n}`,
    html: `<p>Issue ${n}</p>`,
    text: `Issue ${n}`,
  }) satisfies EmailMessage;

/** The most requests that arrived within any 1-second window. */
function busiestSecond(requests: RecordedRequest[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  return Math.max(...times.map((t, i) => times.slice(i).filter((u) => u - t < 1000).length));
}

it('never makes more than `rate` requests per second across send and sendBatch', async () => {
  fake = await startFakeResend({ rate: 10 });
  const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 10 });
  const sends = Array.from({ length: 16 }, (_, i) =>
    i % 2 === 0 ? mailer.send(message(i)) : mailer.sendBatch([message(i)], { idempotencyKey: `chunk-${i}` }),
  );
  const results = await Promise.all(sends);
  expect(results.every((r) => r.ok)).toBe(true);
  expect(fake.requests().filter((r) => r.status === 429)).toEqual([]);
  expect(busiestSecond(fake.requests())).toBeLessThanOrEqual(10);
  expect(fake.emails()).toHaveLength(16);
});

it('sends a confirmation ahead of digest chunks already waiting', async () => {
  fake = await startFakeResend({ rate: Infinity });
  const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 10 });
  const chunks = Array.from({ length: 14 }, (_, i) => mailer.sendBatch([message(i)], { idempotencyKey: `digest/${i}` }));
  const confirmation = mailer.send({ ...message(99), subject: 'Confirm your subscription' }, { priority: 'transactional' });
  await Promise.all([...chunks, confirmation]);
  const order = fake.emails().map((e) => e.subject);
  // The first 10 chunks filled the first second; the confirmation takes the first free slot.
  expect(order.indexOf('Confirm your subscription')).toBe(10);
});

it('waits for the reset when someone else used up the shared quota', async () => {
  fake = await startFakeResend({ rate: 2 });
  const other = new Resend(fake.apiKey, { baseUrl: fake.url });
  await other.emails.send(message(0));
  const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 2 });
  // This answer says remaining 0 although the mailer made one request: the next one must wait.
  expect((await mailer.send(message(1))).ok).toBe(true);
  expect((await mailer.send(message(2))).ok).toBe(true);
  expect(fake.requests().map((r) => r.status)).toEqual([200, 200, 200]);
});

it('does not wait for a reset when its own requests filled the window, however late the answer came', async () => {
  // One clock for the provider and the mailer, moved only by the mailer's sleeps, by hand, and
  // by a slow answer: every arrival time is exact.
  let clock = 0;
  const now = () => clock;
  fake = await startFakeResend({ rate: 2, now });
  const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 2, now, sleep: async (ms) => void (clock += ms) });
  let slowAnswer = 0;
  const original = globalThis.fetch;
  globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
    const answer = await original(...args);
    clock += slowAnswer;
    slowAnswer = 0;
    return answer;
  };
  try {
    expect((await mailer.send(message(0))).ok).toBe(true); // at 0
    clock = 500;
    expect((await mailer.send(message(1))).ok).toBe(true); // at 500
    // The first one's slot is free at 1,010; this answer comes 600 ms later and says remaining 0:
    // the provider's window holds the second and third, both ours.
    slowAnswer = 600;
    expect((await mailer.send(message(2))).ok).toBe(true);
    // The second one's slot has been free since 1,510: the next goes at once, not a second later.
    expect((await mailer.send(message(3))).ok).toBe(true);
  } finally {
    globalThis.fetch = original;
  }
  expect(fake.requests().map((r) => [r.status, r.at])).toEqual([[200, 0], [200, 500], [200, 1010], [200, 1610]]);
});

it('adopts the provider limit when SEND_RATE is set higher than the account allows', async () => {
  fake = await startFakeResend({ rate: 3 });
  const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 50 });
  expect((await mailer.send(message(0))).ok).toBe(true);
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) => mailer.send(message(i + 1))));
  expect(results.every((r) => r.ok)).toBe(true);
  expect(fake.requests().filter((r) => r.status === 429)).toEqual([]);
  expect(busiestSecond(fake.requests())).toBeLessThanOrEqual(3);
});
