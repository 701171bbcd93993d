/**
 * A sign-up's confirmation is written already claimed by the request that answers it, which then
 * sends it itself (src/subscribers/notify.ts, sendClaimedSoon). The claim is what keeps other
 * senders off it while that attempt runs, and its end is what lets them send it when the
 * request's process died after answering. Real libSQL, the outbox mailer behind a gate the test
 * opens, a fixed clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EmailMessage, Mailer, SendOptions, SendResult } from '../../src/mailer/mailer';
import { OutboxMailer } from '../../src/mailer/outbox-mailer';
import { listOutbox } from '../../src/mailer/outbox-queries';
import { deliverDueMail } from '../../src/transactional/deliver';
import { rateLimitKey } from '../../src/rate-limit';
import { mailboxKey } from '../../src/subscribers/mailbox';
import { createTestApp, type TestApp } from '../support/test-app';

/** The outbox, but each send waits until the test lets it go (or forever: a sender that died). */
class GatedMailer implements Mailer {
  readonly kind = 'outbox' as const;
  private gates: (() => void)[] = [];
  readonly keys: (string | undefined)[] = [];
  constructor(private readonly inner: OutboxMailer) {}
  async send(message: EmailMessage, options?: SendOptions): Promise<SendResult> {
    this.keys.push(options?.idempotencyKey);
    await new Promise<void>((open) => this.gates.push(open));
    return this.inner.send(message, options);
  }
  sendBatch(messages: EmailMessage[], options: SendOptions & { idempotencyKey: string }) {
    return this.inner.sendBatch(messages, options);
  }
  /** Lets the oldest waiting send through. */
  openOne() {
    this.gates.shift()?.();
  }
  /** Lets the newest waiting send through. */
  openNewest() {
    this.gates.pop()?.();
  }
  get waiting() {
    return this.gates.length;
  }
}

let t: TestApp;
afterEach(() => t.close());

async function signUp(email: string) {
  const res = await t.app.request('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  expect(res.status).toBe(202);
}

const waitFor = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setImmediate(r));
};

describe('the confirmation a sign-up queues for itself', () => {
  it('is not sent by another sender while the request is sending it', async () => {
    let mailer!: GatedMailer;
    t = await createTestApp({ mailer: ({ db }) => (mailer = new GatedMailer(new OutboxMailer(db))) });
    await signUp('held@example.org');
    await waitFor(() => mailer.waiting === 1);

    // The Node loop (or a Worker's sweep) looks while the request's own attempt is in flight.
    expect(await deliverDueMail(t.deps)).toBe(0);
    mailer.openOne();
    const mail = await t.outbox();
    expect(mail.map((m) => m.to)).toEqual(['held@example.org']);
    // And once it is sent there is nothing left for anyone.
    t.advance(t.config.mailLeaseMs + 1);
    expect(await deliverDueMail(t.deps)).toBe(0);
    expect(mailer.keys).toHaveLength(1);
  });

  it('is sent once by the queue when the request died before sending it', async () => {
    let mailer!: GatedMailer;
    t = await createTestApp({ mailer: ({ db }) => (mailer = new GatedMailer(new OutboxMailer(db))) });
    await signUp('orphan@example.org');
    // The request's attempt never gets through: its process is gone.
    await waitFor(() => mailer.waiting === 1);

    // Before the claim runs out nobody else takes it; after, the loop sends it with the same key.
    t.advance(t.config.mailLeaseMs - 1);
    expect(await deliverDueMail(t.deps)).toBe(0);
    t.advance(2);
    const sent = deliverDueMail(t.deps);
    await waitFor(() => mailer.waiting === 2);
    mailer.openNewest(); // the loop's; the dead request's send stays where it is
    expect(await sent).toBe(1);
    expect(mailer.keys).toHaveLength(2);
    expect(mailer.keys[1]).toBe(mailer.keys[0]);
    // Not t.outbox(): it would wait for the dead request's work, which never ends.
    const mail = await listOutbox(t.db, { limit: 10, offset: 0 });
    expect(mail.map((m) => m.to)).toEqual(['orphan@example.org']);
    const [row] = (await t.client.execute("select status, attempts from transactional_mail")).rows;
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });
});

describe('the daily limit counted in the sign-up\'s own batch', () => {
  it('stores a new reader whose mailbox is over its limit without an email, and says so in their history', async () => {
    t = await createTestApp({ env: { CONFIRM_EMAIL_LIMIT: '2' } });
    // The mailbox already had its two emails today (a reader since deleted, say): the count is
    // what a limit sees, and it is keyed on the mailbox, so a +tag variant is the same mailbox.
    const key = await rateLimitKey(t.deps.signer, 'mail', mailboxKey('quota@example.org'));
    const day = 24 * 3600 * 1000;
    await t.client.execute({ sql: 'insert into rate_limits (key, window_start, count) values (?, ?, 2)', args: [key, t.deps.now() - (t.deps.now() % day)] });

    await signUp('Quota+news@example.org');
    expect(await t.outbox()).toHaveLength(0);
    const { rows: mail } = await t.client.execute('select count(*) as n from transactional_mail');
    expect(Number(mail[0]!.n)).toBe(0);
    const { rows: events } = await t.client.execute('select type from subscriber_events order by id');
    expect(events.map((e) => e.type)).toEqual(['subscribe_requested', 'confirmation_suppressed']);
    const { rows: count } = await t.client.execute({ sql: 'select count from rate_limits where key = ?', args: [key] });
    expect(Number(count[0]!.count)).toBe(3);
  });

  it('sends the email of a new reader within the limit, and counts it', async () => {
    t = await createTestApp({ env: { CONFIRM_EMAIL_LIMIT: '1' } });
    await signUp('first@example.org');
    expect((await t.outbox()).map((m) => m.to)).toEqual(['first@example.org']);
    const key = await rateLimitKey(t.deps.signer, 'mail', mailboxKey('first@example.org'));
    const { rows } = await t.client.execute({ sql: 'select count from rate_limits where key = ?', args: [key] });
    expect(Number(rows[0]!.count)).toBe(1);
  });
});
