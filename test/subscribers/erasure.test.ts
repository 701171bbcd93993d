import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSendLoop } from '../../src/sending/send-loop';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';
import { importJson } from './import/support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const EMAIL = 'Zoltan.Quibble@erase.example';
const NAME = 'Zoltan Quibblesworth';

async function signUpAndConfirm(email: string, name: string) {
  await t.app.request('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (Erasure test)', 'x-test-ip': '198.51.100.77' },
    body: JSON.stringify({ email, name, source: 'https://news.example.org/2026/council-story' }),
  });
  const confirmation = (await t.outbox()).filter((m) => m.to === email && m.html.includes('/confirm/')).at(-1)!;
  const res = await t.app.request(pathOf(linkIn(confirmation.html, '/confirm')), { method: 'POST', headers: { 'x-test-ip': '198.51.100.78' } });
  expect(res.status).toBe(200);
  await t.settle();
}

/** Every cell of every table that holds `needle` (case-insensitive), as "table.column". */
async function cellsHolding(needle: string): Promise<string[]> {
  const tables = await t.client.execute(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`);
  const found: string[] = [];
  for (const { name: table } of tables.rows) {
    const columns = await t.client.execute(`select name from pragma_table_info('${table}')`);
    for (const { name: column } of columns.rows) {
      const hit = await t.client.execute({
        sql: `select count(*) as n from "${table}" where instr(lower(cast("${column}" as text)), lower(?)) > 0`,
        args: [needle],
      });
      if (Number(hit.rows[0]!.n) > 0) found.push(`${table}.${column}`);
    }
  }
  return found;
}

describe('erasure (GDPR art. 17)', () => {
  it('leaves neither the address nor the name in any table, and keeps campaign counts right', async () => {
    await signUpAndConfirm(EMAIL, NAME);
    const campaign = await (
      await t.admin('/admin/api/campaigns', {
        method: 'POST',
        body: JSON.stringify({ kind: 'appeal', subject: 'Keep us going', body: 'Please [read more](https://news.example.org/why).', donateUrl: 'https://news.example.org/donate' }),
      })
    ).json();
    await t.admin(`/admin/api/campaigns/${campaign.id}/send`, { method: 'POST' });
    await runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });
    const email = (await t.outbox()).find((m) => m.to === EMAIL && m.subject.includes('Keep us going'))!;
    const click = /http:\/\/broadside\.test(\/r\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/.exec(email.html)![1]!;
    expect((await t.app.request(click, { headers: { 'user-agent': 'Mozilla/5.0 (Erasure test)' } })).status).toBe(302);
    // A provider event still waiting for its delivery names the address.
    await t.client.execute({
      sql: `insert into webhook_pending (provider_id, campaign_id, type, payload, received_at) values ('msg-1', ?, 'email.delivered', ?, 0)`,
      args: [campaign.id, JSON.stringify({ type: 'email.delivered', data: { email_id: 'msg-1', to: [EMAIL], subject: 'Keep us going' } })],
    });
    expect(await cellsHolding(EMAIL)).not.toEqual([]);
    expect(await cellsHolding(NAME)).not.toEqual([]);

    const reader = (await (await t.admin(`/admin/api/subscribers?q=quibble`)).json()).subscribers[0];
    expect((await t.admin(`/admin/api/subscribers/${reader.id}`, { method: 'DELETE' })).status).toBe(204);

    // The sign-up IP too: the per-IP abuse counter keys on a keyed hash of the IP, not the IP.
    for (const needle of [EMAIL, NAME, 'Quibble', 'Erasure test', '198.51.100.78', '198.51.100.77']) {
      expect(await cellsHolding(needle), needle).toEqual([]);
    }
    const stats = await (await t.admin(`/admin/api/campaigns/${campaign.id}/stats`)).json();
    expect(stats).toMatchObject({ sent: 1 });
    expect(stats.clicks).toMatchObject({ unique: 1, total: 1 });
    expect((await (await t.admin(`/admin/api/campaigns/${campaign.id}`)).json()).counts.sent).toBe(1);
  });

  it('no import or editor brings an erased address back; the reader signing up again themself does', async () => {
    await signUpAndConfirm(EMAIL, NAME);
    const reader = (await (await t.admin(`/admin/api/subscribers?q=quibble`)).json()).subscribers[0];
    await t.admin(`/admin/api/subscribers/${reader.id}`, { method: 'DELETE' });

    // Any case of the address, in any file: skipped.
    const csv = `email,name\n${EMAIL.toLowerCase()},${NAME}\nother@erase.example,Other\n`;
    expect(await importJson(t, csv, 'consent=affirmed')).toMatchObject({ added: 1, skipped: 1 });
    expect(await importJson(t, csv, 'consent=affirmed')).toMatchObject({ unchanged: 1, skipped: 1 });
    const add = await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: EMAIL, status: 'active' }) });
    expect(add.status).toBe(409);
    expect((await add.json()).error.message).toMatch(/erased/);

    // The reader's own sign-up is allowed; until confirmed, the tombstone still holds for imports.
    await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL }) });
    await t.settle();
    expect(await importJson(t, `email\n${EMAIL}\n`, 'consent=affirmed')).toMatchObject({ skipped: 1 });
    const confirmation = (await t.outbox()).filter((m) => m.to === EMAIL && m.html.includes('/confirm/')).at(-1)!;
    await t.app.request(pathOf(linkIn(confirmation.html, '/confirm')), { method: 'POST' });
    await t.settle();
    expect(Number((await t.client.execute('select count(*) as n from erased_addresses')).rows[0]!.n)).toBe(0);
    expect(await importJson(t, `email\n${EMAIL}\n`, 'consent=affirmed')).toMatchObject({ unchanged: 1, skipped: 0 });
  });

  it('an editor unsubscribing a reader is recorded as done by an editor', async () => {
    const r = await (await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'phone@erase.example', status: 'active' }) })).json();
    await t.admin(`/admin/api/subscribers/${r.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'unsubscribed' }) });
    const detail = await (await t.admin(`/admin/api/subscribers/${r.id}`)).json();
    expect(detail.status).toBe('unsubscribed');
    expect(detail.events[0]).toMatchObject({ type: 'unsubscribed', detail: { method: 'editor', actor: 'editor' } });
  });
});
