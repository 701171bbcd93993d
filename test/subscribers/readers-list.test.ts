import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/sending/send-loop';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app';
import { fixture, importJson, reader } from './import/support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const emails = (body: { subscribers: { email: string }[] }) => body.subscribers.map((s) => s.email).sort();
const list = async (query: string) => (await t.admin(`/admin/api/subscribers?${query}`)).json();

describe('readers: export, filters, bulk tags, access', () => {
  it('exports every reader with status, topics, tags and consent, and the export imports back unchanged', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    await importJson(t, fixture('mailchimp-unsubscribed.csv'));
    await importJson(t, 'email,name,topics,tags\n"=formula@example.org","=HYPERLINK(""x"")",digest,"x;y"\n', 'consent=affirmed');
    const res = await t.admin('/admin/api/subscribers/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe(
      'email,name,status,topics,tags,consent_at,consent_ip,consent_user_agent,consent_source,consent_wording,confirmed_at,confirm_ip,unsubscribed_at,created_at',
    );
    expect(csv).toContain(`ana.kovac@river.example,Ana Kovač,active,"digest;appeals","donor;local-news",2023-03-14T08:15:02.000Z,198.51.100.23`);
    // A cell a spreadsheet would run as a formula is defused.
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);

    const before = (await list('limit=500')).subscribers;
    const fresh = await createTestApp();
    try {
      const back = await importJson(fresh, csv, 'file=broadside-readers.csv');
      expect(back).toMatchObject({ format: 'broadside', added: before.filter((r: { status: string }) => r.status === 'active').length, refused: [] });
      const after = (await (await fresh.admin('/admin/api/subscribers?limit=500')).json()).subscribers;
      const shape = (r: Record<string, unknown>) => ({ ...r, id: undefined, createdAt: undefined, updatedAt: undefined });
      expect(after.map(shape).sort((a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email))).toEqual(
        before.map(shape).sort((a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email)),
      );
    } finally {
      fresh.close();
    }
  });

  it('exports a list longer than one page: every reader once, in the order they joined', async () => {
    // 12,001 readers: past two of the export's pages (it reads 5,000 at a time).
    const n = 12_001;
    await t.db.run(sql`
      with recursive seq(i) as (select 1 union all select i + 1 from seq where i < ${n})
      insert into subscribers (email, mailbox, name, status, tags, created_at, updated_at)
      select 'r' || i || '@example.org', 'r' || i || '@example.org', case when i % 2 then 'Reader, ' || i end,
        case when i % 3 then 'active' else 'unsubscribed' end, case when i % 5 then '[]' else '["donor","x"]' end, i, i
      from seq`);
    const lines = (await (await t.admin('/admin/api/subscribers/export')).text()).trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(n);
    expect(lines.map((l) => l.split(',')[0])).toEqual(Array.from({ length: n }, (_, i) => `r${i + 1}@example.org`));
    expect(lines[9]).toBe('r10@example.org,,active,"digest;appeals","donor;x",,,,,,,,,1970-01-01T00:00:00.010Z');
    expect(lines[14]).toBe('r15@example.org,"Reader, 15",unsubscribed,"digest;appeals","donor;x",,,,,,,,,1970-01-01T00:00:00.015Z');
    expect(lines[10]).toBe('r11@example.org,"Reader, 11",active,"digest;appeals",,,,,,,,,,1970-01-01T00:00:00.011Z');
    const unsubscribed = (await (await t.admin('/admin/api/subscribers/export?status=unsubscribed&tag=donor')).text()).trim().split('\r\n');
    expect(unsubscribed).toHaveLength(1 + Math.floor(n / 15));
  });

  it('filters the list and the export by status, topic, tag and source article; searches by address or name', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    await importJson(t, fixture('mailchimp-unsubscribed.csv'));
    await t.app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'form@example.org', name: 'Formy', topics: ['digest'], source: 'https://news.example.org/2026/bridge' }),
    });
    expect(emails(await list('status=unsubscribed'))).toEqual(['ben@hill.example', 'left@river.example']);
    expect(emails(await list('tag=donor'))).toEqual(['ana.kovac@river.example']);
    expect(emails(await list('status=active&topic=appeals'))).toEqual(['Cleo@town.example', 'ana.kovac@river.example']);
    expect(emails(await list(`source=${encodeURIComponent('https://news.example.org/2026/bridge')}`))).toEqual(['form@example.org']);
    expect(emails(await list('q=okafor'))).toEqual(['ben@hill.example']);
    expect(emails(await list('q=ben'))).toEqual(['ben@hill.example']);
    expect(emails(await list('q=Formy'))).toEqual(['form@example.org']);
    expect((await t.admin('/admin/api/subscribers?topic=sports')).status).toBe(400);

    const csv = await (await t.admin('/admin/api/subscribers/export?status=unsubscribed')).text();
    expect(csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['ben@hill.example', 'left@river.example']);
  });

  it('bulk tags and untags readers by pasted addresses, reporting what it did not find', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    const res = await t.admin('/admin/api/subscribers/tags', {
      method: 'POST',
      body: JSON.stringify({ emails: 'ana.kovac@river.example\nBEN@hill.example, nobody@example.org; not-an-address', add: ['Major-Donor'] }),
    });
    expect(res.status).toBe(200);
    // Readers are found by mailbox, as on the form: BEN@hill.example is the reader ben@hill.example.
    expect(await res.json()).toEqual({ matched: 2, changed: 2, notFound: ['nobody@example.org'], invalid: ['not-an-address'] });
    expect((await reader(t, 'ana.kovac@river.example')).tags).toEqual(['donor', 'local-news', 'major-donor']);
    expect((await reader(t, 'ben@hill.example')).tags).toContain('major-donor');
    const again = await (await t.admin('/admin/api/subscribers/tags', { method: 'POST', body: JSON.stringify({ emails: ['ana.kovac@river.example'], add: ['major-donor'] }) })).json();
    expect(again).toMatchObject({ matched: 1, changed: 0 });
    const untag = await (await t.admin('/admin/api/subscribers/tags', { method: 'POST', body: JSON.stringify({ emails: 'ana.kovac@river.example ben@hill.example', remove: ['donor'] }) })).json();
    expect(untag).toMatchObject({ matched: 2, changed: 1 });
    const ana = await reader(t, 'ana.kovac@river.example');
    expect(ana.tags).toEqual(['local-news', 'major-donor']);
    const detail = await (await t.admin(`/admin/api/subscribers/${ana.id}`)).json();
    expect(detail.events[0]).toMatchObject({ type: 'tags_changed', detail: { removed: ['donor'], actor: 'editor' } });
    expect((await t.admin('/admin/api/subscribers/tags', { method: 'POST', body: JSON.stringify({ emails: 'a@example.org' }) })).status).toBe(400);
    expect((await t.admin('/admin/api/subscribers/tags', { method: 'POST', body: JSON.stringify({ emails: 'a@example.org', add: ['no spaces'] }) })).status).toBe(400);
  });

  it('suppressed imported readers are never mailed by the next campaign; the reader\'s data exports as JSON', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    await importJson(t, fixture('mailchimp-unsubscribed.csv'));
    await importJson(t, fixture('mailchimp-cleaned.csv'));
    await importJson(t, fixture('substack.csv'));
    await importJson(t, fixture('plain.csv'));
    const campaign = await (
      await t.admin('/admin/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ kind: 'appeal', subject: 'Spring appeal', body: 'Please give.', donateUrl: 'https://news.example.org/donate' }),
      })
    ).json();
    await t.admin(`/admin/api/campaigns/${campaign.id}/send`, { method: 'POST' });
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
    const to = (await t.outbox()).filter((m) => m.subject === 'Spring appeal').map((m) => m.to).sort();
    expect(to).toEqual(['Cleo@town.example', 'ana.kovac@river.example', 'free.reader@sub.example', 'paid.reader@sub.example']);

    const ana = await reader(t, 'ana.kovac@river.example');
    const res = await t.admin(`/admin/api/subscribers/${ana.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = await res.json();
    expect(data.reader).toMatchObject({ email: 'ana.kovac@river.example', consent: { ip: '198.51.100.23' } });
    expect(data.events.map((e: { type: string }) => e.type)).toContain('imported');
    expect(data.deliveries).toEqual([expect.objectContaining({ campaignId: campaign.id, subject: 'Spring appeal', status: 'sent' })]);
    expect(data.clicks).toEqual([]);
    expect((await t.admin('/admin/api/subscribers/99999/export')).status).toBe(404);
  });
});

describe('readers routes without valid auth', () => {
  const routes: [string, string][] = [
    ['POST', '/admin/api/subscribers/import'],
    ['POST', '/admin/api/subscribers/import/preview'],
    ['GET', '/admin/api/subscribers/export'],
    ['POST', '/admin/api/subscribers/tags'],
    ['GET', '/admin/api/subscribers/1/export'],
  ];
  for (const [method, path] of routes) {
    it(`${method} ${path} is 401 and does nothing`, async () => {
      for (const authorization of [undefined, 'Bearer wrong-token', `Bearer ${TEST_ADMIN_TOKEN}x`]) {
        const res = await t.app.request(path, {
          method,
          headers: { 'content-type': method === 'GET' ? 'text/plain' : path.endsWith('tags') ? 'application/json' : 'text/csv', ...(authorization ? { authorization } : {}) },
          body: method === 'GET' ? undefined : path.endsWith('tags') ? JSON.stringify({ emails: 'a@example.org', add: ['x'] }) : 'email\nsneak@example.org\n',
        });
        expect(res.status).toBe(401);
      }
      expect((await (await t.admin('/admin/api/subscribers')).json()).total).toBe(0);
    });
  }
});
