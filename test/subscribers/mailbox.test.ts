import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mailboxKey } from '../../src/subscribers/mailbox';
import { findSubscriberByEmail, findSubscriberByEmailInBatch, type Subscriber } from '../../src/subscribers/queries';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Per-address limits are per mailbox: an attack varying the case of the local part and adding
 * +tags got 19 confirmation emails into one inbox from one IP. And one mailbox is one reader.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const subscribe = (email: string, ip = '203.0.113.7') =>
  t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ email }) });

describe('the mailbox key', () => {
  it('folds the local part’s case and +tag, and Gmail’s dots; keeps dots elsewhere', () => {
    expect(mailboxKey('Victim@example.org')).toBe('victim@example.org');
    expect(mailboxKey('vIctim+news@example.org')).toBe('victim@example.org');
    expect(mailboxKey('victim+a+b@example.org')).toBe('victim@example.org');
    expect(mailboxKey('+only@example.org')).toBe('+only@example.org');
    expect(mailboxKey('jo.smith@example.org')).toBe('jo.smith@example.org');
    expect(mailboxKey('V.i.c.t.i.m+x@googlemail.com')).toBe('victim@gmail.com');
    expect(mailboxKey('v.ictim@gmail.com')).toBe('victim@gmail.com');
  });
});

describe('per-mailbox limits', () => {
  it('case variants and +tags of one address share the daily limit of confirmation emails', async () => {
    const variants = ['Victim@example.org', 'vIctim@example.org', 'victim+1@example.org', 'VICTIM+2@example.org', 'victim@example.org', 'victim+zz@example.org'];
    for (const [i, email] of variants.entries()) {
      expect((await subscribe(email, `192.0.2.${i + 1}`)).status).toBe(202);
      t.advance(60_000);
    }
    const mail = await t.outbox();
    expect(mail).toHaveLength(t.config.confirmEmailLimit);
    // Every confirmation went to the address as the reader first typed it.
    expect(new Set(mail.map((m) => m.to))).toEqual(new Set(['Victim@example.org']));
  });

  it('one mailbox is one reader, stored as first typed', async () => {
    for (const email of ['Victim@example.org', 'victim@example.org', 'victim+news@example.org']) await subscribe(email);
    await Promise.all(['vICTIM@example.org', 'VICTIM@example.org'].map((e) => subscribe(e)));
    const list = await (await t.admin('/admin/api/subscribers')).json();
    expect(list.total).toBe(1);
    expect(list.subscribers[0].email).toBe('Victim@example.org');
    const added = await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'victim+editor@example.org' }) });
    expect(added.status).toBe(409);
  });

  it('the rate-limit table holds keyed hashes, never an address or an IP', async () => {
    await subscribe('Someone.Private@example.org', '198.51.100.23');
    await t.settle();
    const rows = await t.client.execute('select key from rate_limits');
    expect(rows.rows.length).toBeGreaterThanOrEqual(2);
    for (const { key } of rows.rows) {
      expect(String(key)).toMatch(/^[a-z-]+:[A-Za-z0-9_-]{43}$/);
      expect(String(key).toLowerCase()).not.toMatch(/someone|private|example|198\.51/);
    }
  });
});

describe('the lookup POST /subscribe makes in its batch', () => {
  it('finds the reader findSubscriberByEmail finds, an exact address before its mailbox', async () => {
    expect((await subscribe('Victim@example.org')).status).toBe(202);
    // A row older than the mailbox column that duplicated that mailbox: its mailbox is null.
    await t.client.execute("insert into subscribers (email, mailbox, status) values ('victim+old@example.org', null, 'active')");
    for (const email of ['Victim@example.org', 'victim@example.org', 'VICTIM+new@example.org', 'victim+old@example.org', 'nobody@example.org']) {
      const [found] = (await t.db.batch([findSubscriberByEmailInBatch(t.db, email)])) as [Subscriber[]];
      expect(found[0]?.id, email).toBe((await findSubscriberByEmail(t.db, email))?.id);
      expect(found[0], email).toEqual(await findSubscriberByEmail(t.db, email));
    }
    const [old] = (await t.db.batch([findSubscriberByEmailInBatch(t.db, 'victim+old@example.org')])) as [Subscriber[]];
    expect(old[0]?.email).toBe('victim+old@example.org');
  });
});
