import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { importJson } from './support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const readers = async () => (await (await t.admin('/admin/api/subscribers?limit=100')).json()).subscribers as { email: string; status: string }[];

/** One mailbox is one reader, whether the address arrives by the form, an import or both. */
describe('import: addresses are matched by mailbox, as on the sign-up form', () => {
  it('a case or +tag spelling of a reader already on the list updates that reader instead of adding another', async () => {
    const form = await t.app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-ip': '198.51.100.9' },
      body: JSON.stringify({ email: 'Nadia@river.example' }),
    });
    expect(form.status).toBe(202);
    const res = await importJson(t, 'email,tags\nnadia@river.example,donor\nNADIA+news@river.example,local\n', 'consent=affirmed');
    expect(res).toMatchObject({ added: 0, refused: [] });
    const list = await readers();
    expect(list.map((r) => r.email)).toEqual(['Nadia@river.example']);
  });

  it('spellings of one mailbox within one file count once', async () => {
    const res = await importJson(t, 'email\nomar@hill.example\nOmar+1@hill.example\nomar+2@hill.example\n', 'consent=affirmed');
    expect(res).toMatchObject({ added: 1, refused: [] });
    expect(await readers()).toHaveLength(1);
  });

  it('an erased reader is not brought back by another spelling of their address', async () => {
    await importJson(t, 'email,name\npia@town.example,Pia\n', 'consent=affirmed');
    const [pia] = (await (await t.admin('/admin/api/subscribers?q=pia')).json()).subscribers;
    expect((await t.admin(`/admin/api/subscribers/${pia.id}`, { method: 'DELETE' })).status).toBe(204);
    const res = await importJson(t, 'email\nPIA+newsletter@town.example\n', 'consent=affirmed');
    expect(res).toMatchObject({ added: 0, skipped: 1 });
    expect(await readers()).toHaveLength(0);
  });
});
