/**
 * ResendMailer against the local Resend-compatible server, through the real SDK: what it sends,
 * how it retries, and what it reports when it gives up.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailMessage } from '../../src/mailer/mailer';
import { ResendMailer, type ResendMailerOptions } from '../../src/mailer/resend-mailer';
import { startFakeResend, type FakeResend } from '../support/fake-resend';

let fake: FakeResend;

beforeEach(async () => {
  fake = await startFakeResend({ rate: Infinity });
});
afterEach(() => fake.stop());

const mailer = (options: Partial<ResendMailerOptions> = {}) =>
  new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000, backoffMs: 5, maxBackoffMs: 20, ...options });

const message = (n: number, extra: Partial<EmailMessage> = {}): EmailMessage => ({
  from: 'Broadside <news@example.org>',
  to: `reader${n}@example.com`,
  subject: `This week ${n}`,
  html: `<p>Week ${n}</p>`,
  text: `Week ${n}`,
  ...extra,
});

describe('sending', () => {
  it('sends a message with its reply-to, headers and tags', async () => {
    const result = await mailer().send(
      message(1, {
        replyTo: 'editor@example.org',
        headers: { 'List-Unsubscribe': '<https://example.org/u/t1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        tags: [{ name: 'kind', value: 'digest' }],
      }),
    );
    const [sent] = fake.emails();
    expect(result).toEqual({ ok: true, ids: [sent!.id] });
    expect(sent).toMatchObject({
      from: 'Broadside <news@example.org>',
      to: ['reader1@example.com'],
      replyTo: ['editor@example.org'],
      subject: 'This week 1',
      html: '<p>Week 1</p>',
      text: 'Week 1',
      headers: { 'List-Unsubscribe': '<https://example.org/u/t1>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      tags: [{ name: 'kind', value: 'digest' }],
    });
  });

  it('sends a batch as one request and answers the ids in message order', async () => {
    const result = await mailer().sendBatch([message(1), message(2), message(3)], { idempotencyKey: 'c1/0' });
    const sent = fake.emails();
    expect(result).toEqual({ ok: true, ids: sent.map((e) => e.id) });
    expect(sent.map((e) => e.to[0])).toEqual(['reader1@example.com', 'reader2@example.com', 'reader3@example.com']);
    expect(fake.requests()).toHaveLength(1);
  });

  it('refuses a batch over 100 messages without asking the provider', async () => {
    const result = await mailer().sendBatch(Array.from({ length: 101 }, (_, i) => message(i)), { idempotencyKey: 'big' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(fake.requests()).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries server errors with the same idempotency key until one succeeds', async () => {
    fake.inject({ kind: 'status', status: 500 });
    fake.inject({ kind: 'status', status: 503 });
    const result = await mailer().send(message(1), { idempotencyKey: 'welcome/42' });
    expect(result.ok).toBe(true);
    expect(fake.requests().map((r) => [r.status, r.idempotencyKey])).toEqual([
      [500, 'welcome/42'],
      [503, 'welcome/42'],
      [200, 'welcome/42'],
    ]);
    expect(fake.emails()).toHaveLength(1);
  });

  it('keeps one key across retries even when the caller gives none', async () => {
    fake.inject({ kind: 'status', status: 502, times: 2 });
    await mailer().send(message(1));
    const keys = fake.requests().map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBeTruthy();
  });

  it('mails once when an answer is lost after the provider sent the batch', async () => {
    fake.inject({ kind: 'disconnect', when: 'after' });
    const result = await mailer().sendBatch([message(1), message(2)], { idempotencyKey: 'c9/4', attempts: 3 });
    expect(fake.emails()).toHaveLength(2);
    expect(result).toEqual({ ok: true, ids: fake.emails().map((e) => e.id) });
    expect(fake.requests().map((r) => r.outcome)).toEqual(['accepted_then_disconnect', 'replayed']);
  });

  it('waits a timed-out request out: the retry meets the in-flight key, then gets the replay', async () => {
    fake.inject({ kind: 'delay', ms: 500 });
    // Attempts at about 0 (times out at 100), 210 and 440 (the first is in flight until 500), 890.
    const slow = mailer({ timeoutMs: 100, backoffMs: 150, maxBackoffMs: 1000, random: () => 0.5 });
    const result = await slow.send(message(1), { idempotencyKey: 'slow' });
    expect(result).toEqual({ ok: true, ids: [fake.emails()[0]!.id] });
    expect(fake.emails()).toHaveLength(1);
    const outcomes = fake.requests().map((r) => r.outcome);
    expect(outcomes[0]).toBe('accepted');
    expect(outcomes).toContain('concurrent_idempotent_requests');
    expect(outcomes.at(-1)).toBe('replayed');
  });

  it('waits at least as long as retry-after says', async () => {
    fake.inject({ kind: 'status', status: 429, retryAfter: 0.3 });
    const result = await mailer().send(message(1));
    expect(result.ok).toBe(true);
    const [first, second] = fake.requests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(295);
  });

  it('holds every request back after a 429, even one not retried', async () => {
    fake.inject({ kind: 'status', status: 429, retryAfter: 0.3 });
    const m = mailer();
    const chunk = await m.sendBatch([message(1)], { idempotencyKey: 'c5/0' });
    expect(chunk).toMatchObject({ ok: false, error: { kind: 'rate_limited', retryAfterMs: 300 } });
    expect((await m.send(message(2))).ok).toBe(true);
    const [first, second] = fake.requests();
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(295);
  });

  it('tries bulk mail once by default: the send loop owns its retries', async () => {
    fake.inject({ kind: 'status', status: 500 });
    const result = await mailer().sendBatch([message(1)], { idempotencyKey: 'c2/0' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'server', status: 500 } });
    expect(fake.requests()).toHaveLength(1);
  });
});

describe('giving up', () => {
  it('reports server after all attempts fail with 5xx', async () => {
    fake.inject({ kind: 'status', status: 500, times: 4 });
    const result = await mailer().send(message(1));
    expect(result).toMatchObject({ ok: false, error: { kind: 'server', status: 500 } });
    expect(fake.requests()).toHaveLength(4);
  });

  it('reports rate_limited with the wait the provider asked for', async () => {
    fake.inject({ kind: 'status', status: 429, retryAfter: 0.02, times: 2 });
    const result = await mailer().send(message(1), { attempts: 2 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'rate_limited', status: 429, retryAfterMs: 20 } });
  });

  it('reports network when the connection keeps dropping', async () => {
    fake.inject({ kind: 'disconnect', times: 2 });
    const result = await mailer().send(message(1), { attempts: 2 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'network' } });
    expect(fake.emails()).toHaveLength(0);
  });

  it('reports network when nothing listens', async () => {
    const url = fake.url;
    await fake.stop();
    const result = await new ResendMailer({ apiKey: 're_x', baseUrl: url, rate: 100, backoffMs: 1 }).send(message(1), { attempts: 2 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'network' } });
    fake = await startFakeResend();
  });

  it('reports invalid at once for a request Resend refuses, without retrying', async () => {
    const result = await mailer().send(message(1, { tags: [{ name: 'campaign id', value: '7' }] }));
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid', status: 422 } });
    expect(fake.requests()).toHaveLength(1);
  });

  it('reports auth for a wrong API key, without retrying', async () => {
    const result = await mailer({ apiKey: 're_wrong' }).send(message(1));
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth', status: 403 } });
    expect(fake.requests()).toHaveLength(1);
  });

  it('reports conflict when a key is reused for other content, without retrying', async () => {
    const m = mailer();
    await m.send(message(1), { idempotencyKey: 'confirm/5' });
    const result = await m.send(message(2), { idempotencyKey: 'confirm/5' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'conflict', status: 409 } });
    expect(fake.requests()).toHaveLength(2);
    expect(fake.emails()).toHaveLength(1);
  });
});
