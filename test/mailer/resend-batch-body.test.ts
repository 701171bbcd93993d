/**
 * The batch fast path posts exactly what the `resend` SDK's `batch.send` posts for the same
 * messages: the same body bytes and the same headers, as the local Resend server receives them.
 * (ResendMailer builds the body from a campaign's pieces instead of stringifying 3 MB per batch.)
 */
import fc from 'fast-check';
import { Resend, type CreateBatchOptions } from 'resend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePersonalised } from '../../src/emails/personalise';
import { createPlaceholders } from '../../src/emails/placeholders';
import { renderDigestEmail } from '../../src/emails/render';
import { flatText } from '../../src/mailer/mail-text';
import type { EmailMessage, EmailTag } from '../../src/mailer/mailer';
import { resendBatchBody } from '../../src/mailer/resend-batch-body';
import { ResendMailer } from '../../src/mailer/resend-mailer';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { digestProps } from '../emails/helpers';

let fake: FakeResend;
beforeAll(async () => {
  fake = await startFakeResend({ rate: Infinity, keepRaw: true });
});
afterAll(() => fake.stop());

const placeholders = createPlaceholders();
const digest = compilePersonalised(await renderDigestEmail({ ...digestProps(), ...placeholders.values }), placeholders);

// Names and addresses as a send meets them, and strings no name should be but the encoder must survive.
const awkward = fc.oneof(
  fc.constantFrom('Zoë O’Brien', 'Sam <&> "Q"', '王芳', '👩🏽‍💻 Ada', 'back\\slash', 'line\u2028sep', 'nul\u0000', 'lone \ud800', '\udc00first', 'last\ud83d'),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
const reader = fc.record({
  name: fc.option(awkward, { nil: null }),
  unsubscribeUrl: url,
  preferencesUrl: url,
  token: fc.stringMatching(/^[A-Za-z0-9_.-]{0,40}$/),
  replyTo: fc.option(fc.emailAddress(), { nil: undefined }),
  tags: fc.boolean(),
});

type Reader = typeof reader extends fc.Arbitrary<infer T> ? T : never;

function messageFor(r: Reader, i: number): EmailMessage {
  const email = digest.pieces({
    name: r.name,
    unsubscribeUrl: r.unsubscribeUrl,
    preferencesUrl: r.preferencesUrl,
    viewInBrowserUrl: 'https://news.example.org/archive/7',
    readerToken: r.token,
  });
  return {
    from: 'The Riverside Ledger <newsletter@news.example.org>',
    to: `reader.${i}@example.org`,
    replyTo: r.replyTo,
    subject: email.subject,
    html: email.html,
    text: email.text,
    headers: { 'List-Unsubscribe': `<${r.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    tags: r.tags ? [{ name: 'campaign', value: '7' }, { name: 'kind', value: 'digest' }] : undefined,
  };
}

/** The same messages in the SDK's own form, as the previous sendBatch handed them over. */
const forSdk = (messages: EmailMessage[]): CreateBatchOptions =>
  messages.map((m) => ({ ...m, html: flatText(m.html), text: flatText(m.text) }));

/** What the SDK would post: its API options, stringified, UTF-8 encoded. */
const sdkBody = (messages: EmailMessage[]) =>
  Buffer.from(
    JSON.stringify(
      forSdk(messages).map((m) => ({
        attachments: undefined,
        from: m.from,
        headers: m.headers,
        html: m.html,
        reply_to: m.replyTo,
        subject: m.subject,
        tags: m.tags,
        text: m.text,
        to: m.to,
      })),
    ),
  );

describe('the batch request body', () => {
  it('is byte for byte the JSON the SDK makes, for any readers (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(reader, { minLength: 1, maxLength: 5 }), (readers) => {
        const messages = readers.map(messageFor);
        expect(Buffer.from(resendBatchBody(messages)).equals(sdkBody(messages))).toBe(true);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('is the same JSON when a surrogate pair straddles a part and a value', () => {
    const halves = fc.constantFrom('\ud83d', '\ude00', 'a', '"', '');
    const text = fc.array(fc.oneof(halves, fc.string({ unit: 'binary', maxLength: 4 })), { minLength: 1, maxLength: 6 }).map((p) => ({
      parts: p,
      values: p.slice(1).map((_, i) => ['\ude00', '\ud83d', 'x', ''][i % 4]!),
    }));
    fc.assert(
      fc.property(text, text, (html, plain) => {
        const messages: EmailMessage[] = [{ from: 'a@example.org', to: 'b@example.org', subject: 's', html, text: plain }];
        expect(Buffer.from(resendBatchBody(messages)).equals(sdkBody(messages))).toBe(true);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it('is the same JSON when holes share values, some of them halves of a pair the parts complete', () => {
    const piece = fc.oneof(fc.constantFrom('\ud83d', '\ude00', 'a', '"', '\\', ''), fc.string({ unit: 'binary', maxLength: 4 }));
    const text = fc
      .tuple(fc.array(piece, { minLength: 1, maxLength: 8 }), fc.array(piece, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 8 }))
      .map(([parts, values, picks]) => ({ parts, values, holes: parts.slice(1).map((_, i) => (picks[i] ?? i) % values.length) }));
    fc.assert(
      fc.property(text, text, (html, plain) => {
        const messages: EmailMessage[] = [{ from: 'a@example.org', to: 'b@example.org', subject: 's', html, text: plain }];
        expect(Buffer.from(resendBatchBody(messages)).equals(sdkBody(messages))).toBe(true);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it('spells every other field as JSON.stringify does, whatever it holds (fast-check)', () => {
    const headers = fc.dictionary(fc.oneof(awkward, fc.constantFrom('1', '0', '42', 'List-Unsubscribe', '__proto__x')), awkward, { minKeys: 1, maxKeys: 4 });
    const tag = fc.record({ name: awkward, value: awkward });
    const message = fc.record({
      from: awkward,
      to: awkward,
      replyTo: fc.option(awkward, { nil: undefined }),
      subject: awkward,
      html: awkward,
      text: awkward,
      headers: fc.option(headers, { nil: undefined }),
      // Empty headers and tags are left out before the SDK too (resend-mailer.ts `toResend`).
      tags: fc.option(fc.array(tag, { minLength: 1, maxLength: 3 }), { nil: undefined }),
      frozen: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), (drawn) => {
        const messages: EmailMessage[] = drawn.map(({ frozen, ...m }) => ({
          ...m,
          tags: frozen && m.tags ? Object.freeze(m.tags.map((t) => Object.freeze(t))) as EmailTag[] : m.tags,
        }));
        expect(Buffer.from(resendBatchBody(messages)).equals(sdkBody(messages))).toBe(true);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('spells tags as they are at the time, getters and values of other types included', () => {
    const base = messageFor({ name: 'Zoë', unsubscribeUrl: 'https://n.example/u/1', preferencesUrl: 'https://n.example/p/1', token: '7.1.x', replyTo: undefined, tags: true }, 1);
    const tags = [{ name: 'campaign', value: '7' }, { name: 'delivery', value: '12' }];
    const same = (t: unknown) => {
      const messages = [{ ...base, tags: t as EmailTag[] }];
      expect(Buffer.from(resendBatchBody(messages)).equals(sdkBody(messages))).toBe(true);
    };
    same(tags);
    tags[0]!.value = '8';
    expect(Buffer.from(resendBatchBody([{ ...base, tags }])).toString()).toContain('"tags":[{"name":"campaign","value":"8"},{"name":"delivery","value":"12"}]');
    let value = 'a';
    const getter = [{ name: 'campaign', get value() { return value; } }];
    same(getter);
    value = 'b';
    expect(Buffer.from(resendBatchBody([{ ...base, tags: getter as EmailTag[] }])).toString()).toContain('"value":"b"');
    // Not what a campaign sends, but spelled as JSON.stringify would: a number, a missing value, a nested object.
    same([{ name: 'n', value: 7 }]);
    same([{ name: 'n', value: undefined }, { name: 'm', value: 'x' }]);
    same([{ name: 'n', value: { deep: '"q"' } }]);
  });

  it('posts the same bytes and headers as resend.batch.send, on the wire (fast-check)', async () => {
    const sdk = new Resend(fake.apiKey, { baseUrl: fake.url });
    const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000 });
    await fc.assert(
      fc.asyncProperty(fc.array(reader, { minLength: 1, maxLength: 4 }), async (readers) => {
        const messages = readers.map(messageFor);
        fake.reset();
        const viaSdk = await sdk.batch.send(forSdk(messages), { idempotencyKey: 'broadside-campaign-7-1-chunk-0' });
        const [bySdk] = fake.requests();
        fake.reset();
        const viaMailer = await mailer.sendBatch(messages, { idempotencyKey: 'broadside-campaign-7-1-chunk-0' });
        const [byMailer] = fake.requests();
        expect(byMailer!.raw!.body.equals(bySdk!.raw!.body)).toBe(true);
        expect(byMailer!.raw!.headers).toEqual(bySdk!.raw!.headers);
        // The same answer, read the same way (the fake validates what it receives).
        expect(viaMailer.ok).toBe(viaSdk.error === null);
      }),
      { numRuns: 15, seed: 14 },
    );
    // One batch in full detail: the recorded requests of both paths side by side.
    const messages = [0, 1, 2].map((i) =>
      messageFor({ name: ['Zoë O’Brien', null, 'Sam <&> "Q"'][i]!, unsubscribeUrl: `https://n.example/u/${i}`, preferencesUrl: `https://n.example/p/${i}`, token: `7.${i}.x`, replyTo: i === 1 ? 'ed@example.org' : undefined, tags: true }, i),
    );
    fake.reset();
    await sdk.batch.send(forSdk(messages), { idempotencyKey: 'k-1' });
    const [bySdk] = fake.requests();
    fake.reset();
    const result = await mailer.sendBatch(messages, { idempotencyKey: 'k-1' });
    const [byMailer] = fake.requests();
    expect(result.ok).toBe(true);
    expect(byMailer!.raw!.body.equals(bySdk!.raw!.body)).toBe(true);
    expect(byMailer!.raw!.headers).toEqual(bySdk!.raw!.headers);
    expect(byMailer!.raw!.headers).toMatchObject({
      authorization: `Bearer ${fake.apiKey}`,
      'content-type': 'application/json',
      'idempotency-key': 'k-1',
      'x-batch-validation': 'strict',
    });
    expect(fake.emails().map((e) => e.html)).toEqual(messages.map((m) => flatText(m.html)));
  });

  it('is posted again byte for byte, with its length and unchunked, when a try is retried', async () => {
    const mailer = new ResendMailer({ apiKey: fake.apiKey, baseUrl: fake.url, rate: 1000, backoffMs: 1, maxBackoffMs: 2 });
    const messages = [0, 1].map((i) =>
      messageFor({ name: 'Zoë', unsubscribeUrl: `https://n.example/u/${i}`, preferencesUrl: `https://n.example/p/${i}`, token: `7.${i}.x`, replyTo: undefined, tags: true }, i),
    );
    fake.reset();
    fake.inject({ kind: 'status', status: 500 });
    const result = await mailer.sendBatch(messages, { idempotencyKey: 'k-retry', attempts: 2 });
    expect(result.ok).toBe(true);
    const [first, second] = fake.requests();
    expect(first!.status).toBe(500);
    expect(second!.raw!.body.equals(first!.raw!.body)).toBe(true);
    expect(second!.raw!.body.equals(sdkBody(messages))).toBe(true);
    for (const r of [first!, second!]) {
      expect(r.raw!.headers['content-length']).toBe(String(r.raw!.body.length));
      expect(r.raw!.headers['transfer-encoding']).toBeUndefined();
    }
  });
});
