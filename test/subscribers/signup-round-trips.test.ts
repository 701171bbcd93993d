/**
 * A sign-up's round trips to the database (each one a D1 call on Workers, the cost that decides
 * how many sign-ups a Worker serves): the request's IP count, lookup and new reader in one batch
 * (src/subscribers/subscribe.ts, requestSubscriptionWithin), and with the outbox mailer the
 * confirmation stored and recorded as sent in one more (src/transactional/deliver.ts). Real
 * libSQL; what reaches its client is counted, and the outcome compared with the slower paths.
 */
import type { InStatement } from '@libsql/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailMessage, Mailer, SendOptions, SendResult } from '../../src/mailer/mailer';
import { OutboxMailer } from '../../src/mailer/outbox-mailer';
import { rateLimitKey } from '../../src/rate-limit';
import { mailboxKey } from '../../src/subscribers/mailbox';
import { deliverDueMail } from '../../src/transactional/deliver';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
afterEach(() => t.close());

/** How many calls reach the database client (a batch or a single statement: one round trip each). */
function countCalls(app: TestApp) {
  const calls = { n: 0 };
  const batch = app.client.batch.bind(app.client);
  app.client.batch = ((stmts: InStatement[], mode?: Parameters<typeof batch>[1]) => {
    calls.n++;
    return batch(stmts, mode);
  }) as typeof app.client.batch;
  const execute = app.client.execute.bind(app.client) as (stmt: InStatement) => ReturnType<typeof app.client.execute>;
  app.client.execute = ((stmt: InStatement) => {
    calls.n++;
    return execute(stmt);
  }) as typeof app.client.execute;
  return calls;
}

const signUp = (email: string, ip = '203.0.113.7') =>
  t.app.request('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-ip': ip },
    body: JSON.stringify({ email, name: 'Ada', source: 'https://news.example.org/a' }),
  });

/** The outbox mailer without storeInBatch: every send its own round trip, as before. */
class PlainOutbox implements Mailer {
  readonly kind = 'outbox' as const;
  constructor(private readonly inner: OutboxMailer) {}
  send(message: EmailMessage, options?: SendOptions): Promise<SendResult> {
    return this.inner.send(message, options);
  }
  sendBatch(messages: EmailMessage[], options: SendOptions & { idempotencyKey: string }) {
    return this.inner.sendBatch(messages, options);
  }
}

/** Everything a sign-up leaves behind, without the ids and times that differ between two worlds. */
async function trace(app: TestApp) {
  const rows = async (sql: string) => (await app.client.execute(sql)).rows.map((r) => ({ ...r }));
  return {
    readers: await rows('select email, mailbox, name, status, wants_digest, consent_source from subscribers order by id'),
    mail: await rows('select subscriber_id, kind, status, attempts, lease_until, provider_id, last_error, sent_at, idempotency_key from transactional_mail order by id'),
    outbox: await rows("select 'outbox_' || id as id, \"from\", \"to\", subject, html, text, headers, tags, idempotency_key from outbox_messages order by id"),
    events: await rows('select subscriber_id, type, detail, ip, created_at from subscriber_events order by id'),
    limits: await rows('select key, window_start, count from rate_limits order by key'),
  };
}

describe('a sign-up’s round trips', () => {
  it('a new reader is one batch before the answer and one after it for the confirmation', async () => {
    t = await createTestApp();
    const calls = countCalls(t);
    const res = await signUp('new@example.org');
    expect(res.status).toBe(202);
    expect(calls.n).toBe(1);
    await t.settle();
    expect(calls.n).toBe(2);
    const [mail] = await t.outbox();
    expect(mail!.to).toBe('new@example.org');
    const { rows } = await t.client.execute('select status, provider_id from transactional_mail');
    expect(rows[0]).toMatchObject({ status: 'sent', provider_id: `outbox_${mail!.id}` });
  });

  it('leaves the same reader, email, history and counts as the plain send', async () => {
    const world = async (mailer?: (deps: { db: TestApp['db'] }) => Mailer) => {
      t = await createTestApp({ mailer });
      expect((await signUp('Same+news@Example.org')).status).toBe(202);
      t.advance(60_000); // a repeat a minute later: the pending reader's link again (in the same millisecond it is the same email, test/transactional/mail-key.test.ts)
      expect((await signUp('same@example.org')).status).toBe(202);
      await t.settle();
      const seen = await trace(t);
      t.close();
      return seen;
    };
    const fast = await world();
    const plain = await world(({ db }) => new PlainOutbox(new OutboxMailer(db)));
    t = await createTestApp(); // for afterEach
    expect(fast.mail.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(fast.events.map((e) => e.type)).toEqual(['subscribe_requested', 'confirmation_sent', 'confirmation_sent']);
    expect(fast).toEqual(plain);
  });

  it('a sign-up refused for its IP writes nothing but that count, and uses none of the address’s daily emails', async () => {
    t = await createTestApp({ env: { SUBSCRIBE_IP_LIMIT: '1', CONFIRM_EMAIL_LIMIT: '1' } });
    expect((await signUp('first@example.org', '198.51.100.1')).status).toBe(202);
    const refused = await signUp('Victim@example.org', '198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const { rows: readers } = await t.client.execute('select email from subscribers order by id');
    expect(readers.map((r) => r.email)).toEqual(['first@example.org']);
    const victimKey = await rateLimitKey(t.deps.signer, 'mail', mailboxKey('victim@example.org'));
    const { rows: counted } = await t.client.execute({ sql: 'select count from rate_limits where key = ?', args: [victimKey] });
    expect(counted).toHaveLength(0);

    // From another network the same address signs up and gets its one email of the day.
    expect((await signUp('victim+x@example.org', '198.51.100.2')).status).toBe(202);
    expect((await t.outbox()).map((m) => m.to).sort()).toEqual(['first@example.org', 'victim+x@example.org']);
  });

  it('an outbox key that already holds other content is a conflict, recorded as failed, as before', async () => {
    // The request's own attempt never finishes (its process died); an earlier sender had stored
    // another message under the same key without recording it (as a crash could leave it).
    const dead: Mailer = { kind: 'outbox', send: () => new Promise(() => {}), sendBatch: () => new Promise(() => {}) };
    t = await createTestApp({ mailer: () => dead });
    expect((await signUp('late@example.org')).status).toBe(202);
    const { rows } = await t.client.execute('select idempotency_key from transactional_mail');
    const key = String(rows[0]!.idempotency_key);
    const outbox = new OutboxMailer(t.db);
    await outbox.send({ from: 'x@example.org', to: 'late@example.org', subject: 'other', html: '<p>other</p>', text: 'other' }, { idempotencyKey: key });

    t.advance(t.config.mailLeaseMs + 1);
    expect(await deliverDueMail({ ...t.deps, mailer: outbox })).toBe(1);
    const { rows: mail } = await t.client.execute('select status, provider_id, last_error from transactional_mail');
    expect(mail[0]).toMatchObject({ status: 'failed', provider_id: null });
    expect(String(mail[0]!.last_error)).toMatch(/already used for other messages/);
    const { rows: events } = await t.client.execute('select type from subscriber_events order by id');
    expect(events.map((e) => e.type)).toEqual(['subscribe_requested', 'mail_failed']);
    const { rows: stored } = await t.client.execute('select subject from outbox_messages');
    expect(stored.map((r) => r.subject)).toEqual(['other']);
  });
});
