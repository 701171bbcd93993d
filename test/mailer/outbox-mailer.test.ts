/**
 * OutboxMailer on a real libSQL database built from drizzle/ migrations.
 */
import type { Client } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database';
import { openLibsql } from '../../src/db/libsql';
import type { EmailMessage } from '../../src/mailer/mailer';
import { OutboxMailer } from '../../src/mailer/outbox-mailer';
import { countOutbox, listOutbox } from '../../src/mailer/outbox-queries';

let db: Database;
let client: Client;
let mailer: OutboxMailer;

beforeEach(async () => {
  ({ db, client } = await openLibsql(':memory:'));
  mailer = new OutboxMailer(db);
});
afterEach(() => client.close());

const message = (n: number, extra: Partial<EmailMessage> = {}): EmailMessage => ({
  from: 'Broadside <news@example.org>',
  to: `reader${n}@example.com`,
  subject: `Issue ${n}`,
  html: `<p>Issue ${n}</p>`,
  text: `Issue ${n}`,
  ...extra,
});

describe('OutboxMailer', () => {
  it('stores a message and answers an outbox id', async () => {
    const result = await mailer.send(
      message(1, {
        replyTo: 'editor@example.org',
        headers: { 'List-Unsubscribe': '<https://example.org/u/t>' },
        tags: [{ name: 'kind', value: 'confirm' }],
      }),
    );
    const [stored] = await listOutbox(db, { limit: 10, offset: 0 });
    expect(result).toEqual({ ok: true, ids: [`outbox_${stored!.id}`] });
    expect(stored).toMatchObject({
      from: 'Broadside <news@example.org>',
      to: 'reader1@example.com',
      subject: 'Issue 1',
      html: '<p>Issue 1</p>',
      text: 'Issue 1',
      headers: { 'List-Unsubscribe': '<https://example.org/u/t>', 'Reply-To': 'editor@example.org' },
      tags: [{ name: 'kind', value: 'confirm' }],
    });
    expect(stored!.createdAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores a batch in order and answers one id per message', async () => {
    const result = await mailer.sendBatch([message(1), message(2), message(3)], { idempotencyKey: 'c1/0' });
    const rows = await listOutbox(db, { limit: 10, offset: 0 });
    expect(rows.map((r) => r.to)).toEqual(['reader3@example.com', 'reader2@example.com', 'reader1@example.com']);
    expect(result).toEqual({ ok: true, ids: rows.reverse().map((r) => `outbox_${r.id}`) });
  });

  it('stores a message only once for the same idempotency key, answering the same ids', async () => {
    const batch = [message(1), message(2)];
    const first = await mailer.sendBatch(batch, { idempotencyKey: 'digest-3/chunk-0' });
    const again = await mailer.sendBatch(batch, { idempotencyKey: 'digest-3/chunk-0' });
    const single = await mailer.send(message(9), { idempotencyKey: 'welcome/9' });
    const singleAgain = await mailer.send(message(9), { idempotencyKey: 'welcome/9' });
    expect(again).toEqual(first);
    expect(singleAgain).toEqual(single);
    expect(await countOutbox(db)).toBe(3);
  });

  it('stores once when the same key is sent concurrently', async () => {
    const batch = [message(1), message(2), message(3)];
    const results = await Promise.all(
      Array.from({ length: 5 }, () => mailer.sendBatch(batch, { idempotencyKey: 'race' })),
    );
    expect(await countOutbox(db)).toBe(3);
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it('refuses the same key with other content as a conflict', async () => {
    await mailer.send(message(1), { idempotencyKey: 'confirm/1' });
    const result = await mailer.send(message(2), { idempotencyKey: 'confirm/1' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(await countOutbox(db)).toBe(1);
  });

  it('refuses what Resend would refuse: bad tags, batches over 100', async () => {
    const badTag = await mailer.send(message(1, { tags: [{ name: 'campaign id', value: '1' }] }));
    expect(badTag).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    const tooMany = await mailer.sendBatch(Array.from({ length: 101 }, (_, i) => message(i)), { idempotencyKey: 'big' });
    expect(tooMany).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(await countOutbox(db)).toBe(0);
  });

  it('returns a server error instead of throwing when the database is gone', async () => {
    client.close();
    const result = await mailer.send(message(1));
    expect(result).toMatchObject({ ok: false, error: { kind: 'server' } });
  });
});

describe('listOutbox', () => {
  it('pages newest first', async () => {
    for (let i = 1; i <= 5; i++) await mailer.send(message(i));
    const first = await listOutbox(db, { limit: 2, offset: 0 });
    const second = await listOutbox(db, { limit: 2, offset: 2 });
    expect([...first, ...second].map((r) => r.subject)).toEqual(['Issue 5', 'Issue 4', 'Issue 3', 'Issue 2']);
  });
});
