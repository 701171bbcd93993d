import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../support/test-app';
import { fixture, importCsv, importJson, reader } from './support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('import: the export formats of the tools a site leaves', () => {
  it('Mailchimp subscribed file: active, consent times and IPs kept, tags, source names the tool and file', async () => {
    const res = await importJson(t, fixture('mailchimp-subscribed.csv'), 'file=subscribed_members_export_1a2b.csv');
    expect(res).toMatchObject({ format: 'mailchimp', added: 3, updated: 0, unchanged: 0, suppressed: 0, skipped: 0, refused: [] });
    const ana = await reader(t, 'ana.kovac@river.example');
    expect(ana).toMatchObject({ name: 'Ana Kovač', status: 'active', tags: ['donor', 'local-news'], topics: ['digest', 'appeals'] });
    expect(ana.consent).toMatchObject({
      at: '2023-03-14T08:15:02.000Z',
      ip: '198.51.100.23',
      confirmedAt: '2023-03-14T08:16:40.000Z',
      confirmIp: '198.51.100.23',
      source: 'imported from Mailchimp export subscribed_members_export_1a2b.csv, 2026-11-23',
    });
    // The domain is lower-cased as on the sign-up form; the local part kept as written.
    expect(await reader(t, 'Cleo@town.example')).toMatchObject({ status: 'active', tags: ['board'] });
    expect(await t.outbox()).toHaveLength(0);
  });

  it('Mailchimp unsubscribed and cleaned files become suppressed readers, and an unsubscribe in the file stops an active reader', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    const unsub = await importJson(t, fixture('mailchimp-unsubscribed.csv'));
    expect(unsub).toMatchObject({ added: 0, suppressed: 2, refused: [] });
    expect(await reader(t, 'left@river.example')).toMatchObject({ status: 'unsubscribed', unsubscribedAt: '2023-05-05T12:00:00.000Z' });
    expect(await reader(t, 'ben@hill.example')).toMatchObject({ status: 'unsubscribed' });
    const cleaned = await importJson(t, fixture('mailchimp-cleaned.csv'));
    expect(cleaned).toMatchObject({ suppressed: 1 });
    expect(await reader(t, 'gone@nowhere.example')).toMatchObject({ status: 'bounced' });
    // Importing the subscribed file again does not bring Ben back.
    const again = await importJson(t, fixture('mailchimp-subscribed.csv'));
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: 2, suppressed: 1 });
    expect(await reader(t, 'ben@hill.example')).toMatchObject({ status: 'unsubscribed' });
  });

  it('a later file with consent makes a pending reader active with that consent; other readers keep theirs and gain name and tags', async () => {
    await importJson(t, 'email,name\nwait@example.org,Wait\n', 'file=first.csv');
    await importJson(t, fixture('mailchimp-subscribed.csv'), 'file=first-mc.csv');
    const before = await reader(t, 'ana.kovac@river.example');
    t.advance(60_000);
    const csv = 'email,name,subscribed_at,consent_ip,tags\nwait@example.org,Other Name,2024-01-02 03:04:05,203.0.113.9,\nana.kovac@river.example,Not Ana,2025-01-01 00:00:00,203.0.113.10,extra\n';
    const res = await importJson(t, csv, 'file=second.csv');
    expect(res).toMatchObject({ added: 0, updated: 2, unchanged: 0 });
    expect(await reader(t, 'wait@example.org')).toMatchObject({
      status: 'active',
      name: 'Wait',
      consent: { at: '2024-01-02T03:04:05.000Z', ip: '203.0.113.9', source: 'imported from CSV export second.csv, 2026-11-23', wording: 'import' },
    });
    // An active reader keeps the consent record they have; the name they have; the tags add up.
    expect(await reader(t, 'ana.kovac@river.example')).toMatchObject({ status: 'active', name: 'Ana Kovač', tags: ['donor', 'local-news', 'extra'], consent: before.consent });
    const wait = await reader(t, 'wait@example.org');
    const detail = await (await t.admin(`/admin/api/subscribers/${wait.id}`)).json();
    expect(detail.events.map((e: { type: string; detail: unknown }) => e.detail)).toEqual(
      expect.arrayContaining([
        // The line of the file the event came from (an import in pieces reads it back: pieces.ts).
        { action: 'added', tool: 'CSV', file: 'first.csv', status: 'pending', line: 2 },
        { action: 'updated', tool: 'CSV', file: 'second.csv', status: 'active', line: 2 },
      ]),
    );
    expect(await importJson(t, csv, 'file=second.csv')).toMatchObject({ updated: 0, unchanged: 2 });
  });

  it('Substack: paid readers tagged, email-disabled rows suppressed', async () => {
    const res = await importJson(t, fixture('substack.csv'), 'file=substack-export.csv');
    expect(res).toMatchObject({ format: 'substack', added: 2, suppressed: 1, refused: [] });
    expect(await reader(t, 'paid.reader@sub.example')).toMatchObject({ status: 'active', tags: ['paid'], consent: { at: '2023-02-03T04:05:06.000Z' } });
    expect(await reader(t, 'free.reader@sub.example')).toMatchObject({ status: 'active', tags: [] });
    expect(await reader(t, 'disabled@sub.example')).toMatchObject({ status: 'unsubscribed' });
  });

  it('Ghost: labels become tags, subscribed_to_emails=false is suppressed', async () => {
    const res = await importJson(t, fixture('ghost.csv'));
    expect(res).toMatchObject({ format: 'ghost', added: 1, suppressed: 1 });
    expect(await reader(t, 'member.one@ghost.example')).toMatchObject({ name: 'Mira Lind', status: 'active', tags: ['paying-member', 'donor'] });
    expect(await reader(t, 'member.two@ghost.example')).toMatchObject({ status: 'unsubscribed' });
  });

  it('listmonk: enabled is active, blocklisted is suppressed', async () => {
    const res = await importJson(t, fixture('listmonk.csv'));
    expect(res).toMatchObject({ format: 'listmonk', added: 1, suppressed: 1 });
    expect(await reader(t, 'lm.one@list.example')).toMatchObject({ name: 'Lena Moss', status: 'active' });
    expect(await reader(t, 'lm.two@list.example')).toMatchObject({ status: 'unsubscribed' });
  });

  it('a plain file comes in pending, with no email unless the editor asks; active only with consent affirmed', async () => {
    const res = await importJson(t, fixture('plain.csv'));
    expect(res).toMatchObject({ format: 'plain', added: 2 });
    expect(await reader(t, 'plain.one@example.org')).toMatchObject({ status: 'pending', name: 'Plain One' });
    expect(await t.outbox()).toHaveLength(0);

    const t2 = await createTestApp();
    try {
      const sent = await importJson(t2, fixture('plain.csv'), 'confirm=send');
      expect(sent.confirmationsQueued).toBe(2);
      const mail = await t2.outbox();
      expect(mail.map((m) => m.to).sort()).toEqual(['plain.one@example.org', 'plain.two@example.org']);
      expect(mail[0]!.html).toContain('/confirm/');
      // Queued in the same transaction as the readers (one row each in the durable queue), and a
      // repeat of the import queues and sends nothing more.
      const queued = async () => (await t2.db.all<{ n: number }>(sql`select count(*) as n from transactional_mail where kind = 'confirm'`))[0]!.n;
      expect(await queued()).toBe(2);
      expect(await importJson(t2, fixture('plain.csv'), 'confirm=send')).toMatchObject({ unchanged: 2, confirmationsQueued: 0 });
      expect(await queued()).toBe(2);
      expect(await t2.outbox()).toHaveLength(2);
    } finally {
      t2.close();
    }

    const t3 = await createTestApp();
    try {
      await importJson(t3, fixture('plain.csv'), 'consent=affirmed&file=donors.csv');
      const one = await reader(t3, 'plain.one@example.org');
      expect(one).toMatchObject({ status: 'active', consent: { wording: 'import: consent affirmed by an editor', source: 'imported from CSV export donors.csv, 2026-11-23' } });
      const detail = await (await t3.admin(`/admin/api/subscribers/${one.id}`)).json();
      expect(detail.events[0]).toMatchObject({ type: 'imported', detail: { action: 'added', tool: 'CSV', file: 'donors.csv', consent: 'affirmed', status: 'active' } });
      expect(await t3.outbox()).toHaveLength(0);
    } finally {
      t3.close();
    }
  });

  it('?status= declares one status for every row', async () => {
    const res = await importJson(t, fixture('plain.csv'), 'status=unsubscribed');
    expect(res).toMatchObject({ added: 0, suppressed: 2 });
    expect(await reader(t, 'plain.two@example.org')).toMatchObject({ status: 'unsubscribed' });
    expect((await importCsv(t, fixture('plain.csv'), 'status=sleeping')).status).toBe(400);
  });

  it('a multipart upload works like a text/csv body and takes the file name', async () => {
    const form = new FormData();
    form.append('file', new File([fixture('ghost.csv')], 'members-2026.csv', { type: 'text/csv' }));
    const res = await t.app.request('/admin/api/subscribers/import', { method: 'POST', body: form, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'ghost', added: 1, suppressed: 1 });
    expect((await reader(t, 'member.one@ghost.example')).consent.source).toBe('imported from Ghost export members-2026.csv, 2026-11-23');
  });

  it('the preview shows the guessed format, mapping and first rows and writes nothing; a mapping can be corrected', async () => {
    const res = await importCsv(t, fixture('mailchimp-unsubscribed.csv'), '', '/admin/api/subscribers/import/preview');
    expect(res.status).toBe(200);
    const p = await res.json();
    expect(p).toMatchObject({ format: 'mailchimp', encoding: 'utf-8', delimiter: ',', declaredStatus: 'unsubscribed' });
    expect(p.mapping).toMatchObject({ email: 'Email Address', firstName: 'First Name', consentAt: 'OPTIN_TIME', unsubscribedAt: 'UNSUB_TIME' });
    expect(p.rows[0]).toMatchObject({ line: 2, reader: { email: 'left@river.example', status: 'unsubscribed' } });
    expect((await (await t.admin('/admin/api/subscribers')).json()).total).toBe(0);

    const csv = 'Mail,Who\r\nx@example.org,Xena\r\n';
    const guessed = await (await importCsv(t, csv, '', '/admin/api/subscribers/import/preview')).json();
    expect(guessed.mapping).toEqual({ email: 'Mail' });
    const mapping = encodeURIComponent(JSON.stringify({ email: 'Mail', name: 'Who' }));
    const done = await importJson(t, csv, `mapping=${mapping}`);
    expect(done.added).toBe(1);
    expect(await reader(t, 'x@example.org')).toMatchObject({ name: 'Xena' });
    expect((await importCsv(t, csv, `mapping=${encodeURIComponent('{"email":"Nope"}')}`)).status).toBe(400);
    expect((await importCsv(t, csv, `mapping=${encodeURIComponent('{"colour":"Mail"}')}`)).status).toBe(400);
  });

  it('the refused rows download as CSV', async () => {
    const res = await importCsv(t, 'email,status\nnot-an-address,subscribed\nok@example.org,subscribed\nbad@example.org,"maybe, later"\n', 'format=csv');
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(await res.text()).toBe('line,reason\r\n2,"""not-an-address"" is not a valid email address"\r\n4,"unknown status ""maybe, later"""\r\n');
  });
});
