/**
 * The fake Resend server's contract, exercised through the real `resend` SDK as Broadside uses it.
 */
import { Resend } from 'resend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeResend, type FakeResend } from '../support/fake-resend';

let fake: FakeResend;
let resend: Resend;
/** The fake's clock: windows and outages move only when a test moves it. */
let clock = 0;

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 23, 9, 0, 0);
  fake = await startFakeResend({ rate: Infinity, now: () => clock });
  resend = new Resend(fake.apiKey, { baseUrl: fake.url });
});
afterEach(() => fake.stop());

const email = (n: number, extra: Record<string, unknown> = {}) => ({
  from: 'Broadside <news@example.org>',
  to: `reader${n}@example.com`,
  subject: `Issue ${n}`,
  html: `<p>Hello ${n}</p>`,
  text: `Hello ${n}`,
  ...extra,
});

describe('sending', () => {
  it('accepts an email, records it as sent and serves it back', async () => {
    const { data, error } = await resend.emails.send({
      ...email(1),
      replyTo: 'editor@example.org',
      headers: { 'List-Unsubscribe': '<https://example.org/u/abc>' },
      tags: [{ name: 'campaign', value: 'c-12' }],
    });
    expect(error).toBeNull();
    const [sent] = fake.emails();
    expect(sent).toMatchObject({
      id: data!.id,
      to: ['reader1@example.com'],
      replyTo: ['editor@example.org'],
      subject: 'Issue 1',
      headers: { 'List-Unsubscribe': '<https://example.org/u/abc>' },
      tags: [{ name: 'campaign', value: 'c-12' }],
    });
    const got = await resend.emails.get(data!.id);
    expect(got.data).toMatchObject({ object: 'email', id: data!.id, to: ['reader1@example.com'], subject: 'Issue 1' });
  });

  it('accepts a batch and answers ids in order, under one batch id', async () => {
    const { data, error } = await resend.batch.send([email(1), email(2), email(3)]);
    expect(error).toBeNull();
    const sent = fake.emails();
    expect(data!.data.map((d) => d.id)).toEqual(sent.map((e) => e.id));
    expect(new Set(sent.map((e) => e.batchId)).size).toBe(1);
    expect(sent.map((e) => e.to[0])).toEqual(['reader1@example.com', 'reader2@example.com', 'reader3@example.com']);
  });

  it('refuses a missing or wrong API key', async () => {
    const wrong = await new Resend('re_wrong', { baseUrl: fake.url }).emails.send(email(1));
    expect(wrong.error).toMatchObject({ statusCode: 403, name: 'invalid_api_key' });
    const res = await fetch(`${fake.url}/emails`, { method: 'POST', body: JSON.stringify(email(1)) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ name: 'missing_api_key' });
    expect(fake.emails()).toHaveLength(0);
  });
});

describe('validation', () => {
  it('refuses a batch of more than 100 emails with 422 and sends none of it', async () => {
    const batch = Array.from({ length: 101 }, (_, i) => email(i));
    const { error } = await resend.batch.send(batch);
    expect(error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(fake.emails()).toHaveLength(0);
  });

  it('refuses a whole strict batch when one email is wrong', async () => {
    const { error } = await resend.batch.send([email(1), email(2, { tags: [{ name: 'bad tag!', value: 'x' }] })]);
    expect(error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect(error!.message).toContain('emails[1]');
    expect(fake.emails()).toHaveLength(0);
  });

  it.each([
    ['no sender', { from: undefined }, 'missing_required_field'],
    ['a malformed recipient', { to: 'not-an-address' }, 'validation_error'],
    ['more than 50 recipients', { to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) }, 'validation_error'],
    ['no body', { html: undefined, text: undefined }, 'missing_required_field'],
    ['a tag value over 256 characters', { tags: [{ name: 'kind', value: 'x'.repeat(257) }] }, 'validation_error'],
  ])('refuses an email with %s', async (_, extra, name) => {
    const { error } = await resend.emails.send(email(1, extra) as Parameters<typeof resend.emails.send>[0]);
    expect(error).toMatchObject({ statusCode: 422, name });
  });

  it('refuses an idempotency key longer than 256 characters', async () => {
    const { error } = await resend.emails.send(email(1), { idempotencyKey: 'k'.repeat(257) });
    expect(error).toMatchObject({ statusCode: 400, name: 'invalid_idempotency_key' });
  });
});

describe('a lean server (keepBodies and keepEmails off, for benchmarks)', () => {
  it('checks and answers every request as a full one does, and counts what it accepted', async () => {
    const lean = await startFakeResend({ rate: Infinity, keepBodies: false, keepEmails: false });
    try {
      const client = new Resend(lean.apiKey, { baseUrl: lean.url });
      const bad = await client.batch.send([email(1), email(2, { tags: [{ name: 'bad tag!', value: 'x' }] })]);
      expect(bad.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
      expect(bad.error!.message).toContain('emails[1]');
      const noBody = await client.batch.send([email(1), email(2, { html: undefined, text: undefined })]);
      expect(noBody.error).toMatchObject({ statusCode: 422, name: 'missing_required_field' });
      expect(lean.accepted()).toEqual({ emails: 0, recipients: 0 });

      const batch = [email(1), email(2), email(1, { subject: 'again' })];
      const first = await client.batch.send(batch, { idempotencyKey: 'lean-1' });
      expect(first.error).toBeNull();
      expect(first.data!.data).toHaveLength(3);
      const replay = await client.batch.send(batch, { idempotencyKey: 'lean-1' });
      expect(replay.data).toEqual(first.data);
      const changed = await client.batch.send([email(3)], { idempotencyKey: 'lean-1' });
      expect(changed.error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
      expect(lean.accepted()).toEqual({ emails: 3, recipients: 2 });
      expect(lean.emails()).toEqual([]);
    } finally {
      await lean.stop();
    }
  });
});

describe('idempotency', () => {
  it('replays the first answer for the same key and payload, and sends once', async () => {
    const first = await resend.batch.send([email(1), email(2)], { idempotencyKey: 'digest-7/chunk-0' });
    const again = await resend.batch.send([email(1), email(2)], { idempotencyKey: 'digest-7/chunk-0' });
    expect(again.data).toEqual(first.data);
    expect(fake.emails()).toHaveLength(2);
    expect(fake.requests().map((r) => r.outcome)).toEqual(['accepted', 'replayed']);
  });

  it('refuses the same key with a different payload (409 invalid_idempotent_request)', async () => {
    await resend.emails.send(email(1), { idempotencyKey: 'welcome/1' });
    const { error } = await resend.emails.send(email(2), { idempotencyKey: 'welcome/1' });
    expect(error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
    expect(fake.emails()).toHaveLength(1);
  });

  it('refuses the same key with a payload changed by one character deep in a large batch, on a lean server too', async () => {
    const lean = await startFakeResend({ rate: Infinity, keepBodies: false, keepEmails: false });
    try {
      const client = new Resend(lean.apiKey, { baseUrl: lean.url });
      const html = (n: number) => `<p>${'Story '.repeat(2500)}${n}</p>`;
      const batch = Array.from({ length: 100 }, (_, n) => email(n, { html: html(n) }));
      expect((await client.batch.send(batch, { idempotencyKey: 'digest-8/chunk-3' })).error).toBeNull();
      // The same length, one byte apart, in the last email's html.
      const changed = batch.map((e, n) => (n === 99 ? { ...e, html: html(98) } : e));
      const { error } = await client.batch.send(changed, { idempotencyKey: 'digest-8/chunk-3' });
      expect(error).toMatchObject({ statusCode: 409, name: 'invalid_idempotent_request' });
      expect(lean.accepted().emails).toBe(100);
    } finally {
      await lean.stop();
    }
  });

  it('refuses a key whose first request is still in flight (409 concurrent_idempotent_requests)', async () => {
    fake.inject({ kind: 'delay', ms: 500 });
    const slow = resend.emails.send(email(1), { idempotencyKey: 'confirm/9' });
    // Wait until the first request is there (and held), not for a guess at how long that takes.
    await vi.waitUntil(() => fake.requests().length === 1, { interval: 5 });
    const { error } = await resend.emails.send(email(1), { idempotencyKey: 'confirm/9' });
    expect(error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    expect((await slow).error).toBeNull();
    const replay = await resend.emails.send(email(1), { idempotencyKey: 'confirm/9' });
    expect(replay.data).toEqual((await slow).data);
    expect(fake.emails()).toHaveLength(1);
  });

  it('lets a request refused before sending be retried with the same key', async () => {
    fake.inject({ kind: 'status', status: 500 });
    const failed = await resend.emails.send(email(1), { idempotencyKey: 'k-1' });
    expect(failed.error).toMatchObject({ statusCode: 500 });
    const retried = await resend.emails.send(email(1), { idempotencyKey: 'k-1' });
    expect(retried.error).toBeNull();
    expect(fake.emails()).toHaveLength(1);
  });
});

describe('rate limit', () => {
  it('reports the window on every answer and refuses the request over the limit with 429', async () => {
    fake.setRate(2);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await resend.emails.send(email(i)));
    expect(answers[0]!.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
    expect(answers[1]!.headers).toMatchObject({ 'ratelimit-remaining': '0', 'ratelimit-reset': '1' });
    expect(answers[2]!.error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(answers[2]!.headers).toMatchObject({ 'retry-after': '1', 'ratelimit-remaining': '0' });
    expect(fake.emails()).toHaveLength(2);
  });

  it('admits requests again once the window has moved on', async () => {
    fake.setRate(20);
    for (let i = 0; i < 20; i++) expect((await resend.emails.send(email(i))).error).toBeNull();
    expect((await resend.emails.send(email(20))).error).toMatchObject({ statusCode: 429 });
    clock += 1000;
    expect((await resend.emails.send(email(20))).error).toBeNull();
  });
});

describe('faults', () => {
  it('answers injected errors in order, then recovers', async () => {
    fake.inject({ kind: 'status', status: 500, times: 2 });
    fake.inject({ kind: 'status', status: 429, retryAfter: 0.05 });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const { error, headers } = await resend.emails.send(email(1));
      statuses.push(error?.statusCode ?? 200);
      if (error?.statusCode === 429) expect(headers).toMatchObject({ 'retry-after': '0.05' });
    }
    expect(statuses).toEqual([500, 500, 429, 200]);
    expect(fake.emails()).toHaveLength(1);
  });

  it('drops the connection before sending: the SDK sees a network error, nothing is sent', async () => {
    fake.inject({ kind: 'disconnect' });
    const { error } = await resend.emails.send(email(1));
    expect(error).toMatchObject({ statusCode: null });
    expect(fake.emails()).toHaveLength(0);
  });

  it('drops the connection after sending: a retry with the key is replayed, sent once', async () => {
    fake.inject({ kind: 'disconnect', when: 'after' });
    const lost = await resend.batch.send([email(1), email(2)], { idempotencyKey: 'chunk-3' });
    expect(lost.error).toMatchObject({ statusCode: null });
    expect(fake.emails()).toHaveLength(2);
    const retry = await resend.batch.send([email(1), email(2)], { idempotencyKey: 'chunk-3' });
    expect(retry.data!.data.map((d) => d.id)).toEqual(fake.emails().map((e) => e.id));
    expect(fake.emails()).toHaveLength(2);
  });

  it('answers 503 to everything during an outage, then works again', async () => {
    fake.inject({ kind: 'outage', ms: 400 });
    expect((await resend.emails.send(email(1))).error).toMatchObject({ statusCode: 503 });
    expect((await resend.emails.send(email(2))).error).toMatchObject({ statusCode: 503 });
    clock += 400;
    expect((await resend.emails.send(email(3))).error).toBeNull();
    expect(fake.emails().map((e) => e.subject)).toEqual(['Issue 3']);
  });

  it('forgets everything on reset', async () => {
    await resend.emails.send(email(1), { idempotencyKey: 'k' });
    fake.inject({ kind: 'status', status: 500 });
    fake.reset();
    expect(fake.emails()).toEqual([]);
    expect((await resend.emails.send(email(2), { idempotencyKey: 'k' })).error).toBeNull();
    expect(fake.requests()).toHaveLength(1);
  });
});
