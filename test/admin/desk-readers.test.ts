import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { fixture, importJson, reader } from '../subscribers/import/support';
import { addAccount, postForm, sameOrigin, signInAs } from './support/desk';

/** The readers' pages of the desk over HTTP: list, reader page, import; roles and CSRF. */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

type Session = { cookie: string; csrf: string };
const html = async (s: Session, path: string) => {
  const res = await t.app.request(path, { headers: { cookie: s.cookie } });
  return { status: res.status, text: await res.text() };
};
const editor = async () => {
  await addAccount(t, 'editor@news.example.org', 'editor');
  return signInAs(t, 'editor@news.example.org');
};
const viewer = async () => {
  await addAccount(t, 'viewer@news.example.org', 'viewer');
  return signInAs(t, 'viewer@news.example.org');
};
const audit = async () => (await t.client.execute('select action, target, detail from audit_log order by id')).rows.map((r) => ({ action: r.action, target: r.target, detail: r.detail }));

/** Posts the import form as the browser does (multipart, same origin, with the CSRF token unless told not to). */
function upload(s: Session, path: string, csv: string | Uint8Array, fields: Record<string, string> = {}, fileName = 'members.csv', csrf = true) {
  const form = new FormData();
  if (csrf) form.set('_csrf', s.csrf);
  form.set('file', new File([csv as BlobPart], fileName, { type: 'text/csv' }));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return t.app.request(path, { method: 'POST', headers: { cookie: s.cookie, ...sameOrigin }, body: form });
}

describe('the readers list', () => {
  it('counts the matches of a filter up to 1,000, and says "more than" past it; the total stays exact', async () => {
    await seedReaders(t.db, 1002, { prefix: 'crowd', tags: ['donor'] });
    const s = await viewer();
    const tagged = await html(s, '/admin/readers?tag=donor');
    expect(tagged.text).toContain('More than 1,000 readers match');
    expect(tagged.text).toContain('data-total="1000+"');
    expect((await html(s, '/admin/readers')).text).toContain('data-total="1002"');
    const [{ email }] = (await t.client.execute("select email from subscribers where email like '%-1001@%'")).rows as unknown as [{ email: string }];
    const one = await html(s, `/admin/readers?q=${encodeURIComponent(email)}`);
    expect(one.text).toContain('data-total="1"');
  });

  it('searches, filters, counts and pages; links each reader; exports the filter', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    await importJson(t, fixture('mailchimp-unsubscribed.csv'));
    await seedReaders(t.db, 120, { prefix: 'many', tags: ['donor'] });
    const s = await viewer();
    const all = await html(s, '/admin/readers');
    expect(all.status).toBe(200);
    expect(all.text).toMatch(/data-total="12\d"/);
    // Pages by keyset: "Older →" carries the last reader shown, and leads back with "← Newer".
    expect(all.text).not.toContain('rel="prev"');
    const older = all.text.match(/rel="next" href="\/admin\/readers\?before=(\d+)"/)?.[1];
    expect(older).toBeDefined();
    const second = await html(s, `/admin/readers?before=${older}`);
    const ids = (text: string) => [...text.matchAll(/href="\/admin\/readers\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids(second.text)).toHaveLength(50);
    expect(Math.max(...ids(second.text))).toBeLessThan(Number(older));
    expect(Math.min(...ids(all.text))).toBe(Number(older));
    const newer = second.text.match(/rel="prev" href="\/admin\/readers\?after=(\d+)"/)?.[1];
    expect(ids((await html(s, `/admin/readers?after=${newer}`)).text)).toEqual(ids(all.text));
    const third = await html(s, `/admin/readers?before=${Math.min(...ids(second.text))}`);
    expect(third.text).not.toContain('rel="next"');
    expect(ids(third.text).length + 100).toBe(Number(all.text.match(/data-total="(\d+)"/)![1]));
    const found = await html(s, '/admin/readers?q=okafor&status=&topic=&tag=&source=');
    expect(found.text).toContain('data-total="1"');
    const ben = await reader(t, 'ben@hill.example');
    expect(found.text).toContain(`href="/admin/readers/${ben.id}"`);
    const left = await html(s, '/admin/readers?status=unsubscribed');
    expect(left.text).toContain('ben@hill.example');
    expect(left.text).not.toContain('ana.kovac@river.example');
    expect(left.text).toContain('href="/admin/api/subscribers/export?status=unsubscribed"');
    expect((await html(s, '/admin/readers?tag=donor&topic=digest')).text).toContain('data-total="121"');
    expect((await html(s, '/admin/readers?status=nonsense')).status).toBe(400);
    // A viewer sees no forms that change readers.
    expect(all.text).not.toContain('action="/admin/readers/tags"');
    // The export link is the API's, and the API guard records it.
    const csv = await t.app.request('/admin/api/subscribers/export?status=unsubscribed', { headers: { cookie: s.cookie } });
    expect((await csv.text()).split('\r\n').filter(Boolean)).toHaveLength(3);
    expect((await audit()).at(-1)).toMatchObject({ action: 'subscribers.exported' });
  });

  it('tags and untags pasted addresses; a viewer cannot; a form without the CSRF token is refused', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    const s = await editor();
    const res = await postForm(t, s, '/admin/readers/tags', { emails: 'ben@hill.example\nCleo@TOWN.example, nobody@example.org', tags: 'Donor', action: 'add' });
    expect(res.status).toBe(303);
    expect((await reader(t, 'ben@hill.example')).tags).toContain('donor');
    expect((await reader(t, 'Cleo@town.example')).tags).toContain('donor');
    const flash = res.headers.get('set-cookie')!.split(';')[0]!;
    const after = await t.app.request(res.headers.get('location')!, { headers: { cookie: `${s.cookie}; ${flash}` } });
    expect(await after.text()).toContain('Tagged 2 of 2 readers found (donor). 1 not found or not addresses: nobody@example.org');
    await postForm(t, s, '/admin/readers/tags', { emails: 'ben@hill.example', tags: 'donor', action: 'remove' });
    expect((await reader(t, 'ben@hill.example')).tags).not.toContain('donor');

    const v = await viewer();
    expect((await postForm(t, v, '/admin/readers/tags', { emails: 'ben@hill.example', tags: 'donor', action: 'add' })).status).toBe(403);
    const bare = await t.app.request('/admin/readers/tags', {
      method: 'POST',
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin },
      body: 'emails=ben@hill.example&tags=donor&action=add',
    });
    expect(bare.status).toBe(403);
    expect((await reader(t, 'ben@hill.example')).tags).not.toContain('donor');
  });
});

describe('the reader page', () => {
  it('shows the consent record and history; an editor edits, unsubscribes and erases; the erased address cannot come back', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'), 'file=members.csv');
    const ana = await reader(t, 'ana.kovac@river.example');
    const s = await editor();
    const page = await html(s, `/admin/readers/${ana.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('2023-03-14 08:15 UTC');
    expect(page.text).toContain('198.51.100.23');
    expect(page.text).toContain('imported from Mailchimp export members.csv');
    expect(page.text).toContain('Imported');
    expect(page.text).toContain(`href="/admin/api/subscribers/${ana.id}/export"`);

    const edit = new URLSearchParams({ _csrf: s.csrf, name: 'Ana K.', tags: 'donor, board' });
    edit.append('topics', 'digest');
    await t.app.request(`/admin/readers/${ana.id}/edit`, { method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded', ...sameOrigin }, body: edit.toString() });
    expect(await reader(t, 'ana.kovac@river.example')).toMatchObject({ name: 'Ana K.', topics: ['digest'], tags: ['donor', 'board'] });
    expect((await postForm(t, s, `/admin/readers/${ana.id}/edit`, { name: 'x', tags: 'not a tag!' })).status).toBe(303);
    expect((await reader(t, 'ana.kovac@river.example')).name).toBe('Ana K.');

    expect((await postForm(t, s, `/admin/readers/${ana.id}/unsubscribe`)).status).toBe(303);
    expect((await reader(t, 'ana.kovac@river.example')).status).toBe('unsubscribed');
    const after = await html(s, `/admin/readers/${ana.id}`);
    expect(after.text).toContain('method: editor · actor: editor');

    // The confirmation names the address; a wrong one erases nothing.
    await postForm(t, s, `/admin/readers/${ana.id}/erase`, { confirm: 'someone@else.example' });
    expect(await reader(t, 'ana.kovac@river.example')).toBeTruthy();
    const erased = await postForm(t, s, `/admin/readers/${ana.id}/erase`, { confirm: 'Ana.Kovac@river.example ' });
    expect(erased.headers.get('location')).toBe('/admin/readers');
    expect(await reader(t, 'ana.kovac@river.example')).toBeUndefined();
    expect((await html(s, `/admin/readers/${ana.id}`)).status).toBe(404);
    expect((await t.client.execute('select count(*) as n from erased_addresses')).rows[0]!.n).toBe(1);
    expect((await importJson(t, fixture('mailchimp-subscribed.csv'))).skipped).toBe(1);
    expect((await audit()).map((a) => a.action)).toEqual(['subscribers.imported', 'subscriber.erased', 'subscribers.imported']);
  });

  it('a viewer reads the page but has no forms, and every write is refused', async () => {
    await importJson(t, fixture('mailchimp-subscribed.csv'));
    const ana = await reader(t, 'ana.kovac@river.example');
    const v = await viewer();
    const page = await html(v, `/admin/readers/${ana.id}`);
    expect(page.text).toContain('198.51.100.23');
    expect(page.text).not.toContain(`action="/admin/readers/${ana.id}/erase"`);
    for (const action of ['edit', 'unsubscribe', 'erase']) {
      expect((await postForm(t, v, `/admin/readers/${ana.id}/${action}`, { name: 'x', confirm: 'ana.kovac@river.example' })).status, action).toBe(403);
    }
    expect(await reader(t, 'ana.kovac@river.example')).toMatchObject({ status: 'active', name: 'Ana Kovač' });
    expect((await html(v, '/admin/readers/999999')).status).toBe(404);
  });
});

describe('the import page', () => {
  const csv = 'E-mail;Full name;Joined\r\nann@example.org;Ann;2024-01-02\r\nnot-an-address;Bad;\r\nbob@example.org;Bob;2024-02-03\r\n';

  it('previews the guessed mapping, imports with the corrected one, and summarises with refused rows', async () => {
    const s = await editor();
    const preview = await upload(s, '/admin/readers/import/preview', csv);
    expect(preview.status).toBe(200);
    const p = await preview.text();
    expect(p).toContain('separated by semicolon');
    expect(p).toMatch(/<option value="E-mail" selected="">E-mail<\/option>/);
    expect(p).toContain('Refused:</strong> &quot;not-an-address&quot; is not a valid email address');
    expect(p).toContain('choose <strong>members.csv</strong> again');
    // The fragment the desk script asks for is the preview alone.
    const fragment = await t.app.request('/admin/readers/import/preview', {
      method: 'POST',
      headers: { cookie: s.cookie, ...sameOrigin, 'x-desk-fragment': 'preview', 'x-csrf-token': s.csrf },
      body: (() => {
        const f = new FormData();
        f.set('file', new File([csv], 'members.csv'));
        return f;
      })(),
    });
    const fragmentText = await fragment.text();
    expect(fragmentText.startsWith('<section')).toBe(true);

    const res = await upload(s, '/admin/readers/import', csv, { 'map.email': 'E-mail', 'map.name': 'Full name', 'map.consentAt': 'Joined' });
    expect(res.status).toBe(200);
    const done = await res.text();
    expect(done).toContain('data-import-running');
    expect(done).toMatch(/data-figure="added"><strong>2<\/strong>/);
    expect(done).toMatch(/data-figure="refused"><strong>1<\/strong>/);
    expect(done).toMatch(/<td class="num">3<\/td><td>&quot;not-an-address&quot; is not a valid email address<\/td>/);
    // A consent date in the row is evidence: active, with that date.
    expect(await reader(t, 'ann@example.org')).toMatchObject({ status: 'active', name: 'Ann', consent: { at: '2024-01-02T00:00:00.000Z' } });
    expect(await audit()).toMatchObject([{ action: 'subscribers.imported', detail: expect.stringContaining('"added":2') }]);

    const refused = /name="refused" value="([^"]+)"/.exec(done)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const download = await postForm(t, s, '/admin/readers/import/refused', { refused });
    expect(download.headers.get('content-disposition')).toContain('refused-rows.csv');
    expect(await download.text()).toBe('line,reason\r\n3,"""not-an-address"" is not a valid email address"\r\n');

    // The same file again changes nothing.
    const again = await (await upload(s, '/admin/readers/import', csv, { 'map.email': 'E-mail', 'map.name': 'Full name', 'map.consentAt': 'Joined' })).text();
    expect(again).toMatch(/data-figure="unchanged"><strong>2<\/strong>/);
  });

  it('plain rows come in pending unless consent is affirmed; confirmations only when asked', async () => {
    const s = await editor();
    const plain = 'email,name\none@example.org,One\n';
    await (await upload(s, '/admin/readers/import', plain, { confirm: 'send' })).text();
    expect((await reader(t, 'one@example.org')).status).toBe('pending');
    expect((await t.outbox()).map((m) => m.to)).toEqual(['one@example.org']);
    await (await upload(s, '/admin/readers/import', 'email\ntwo@example.org\n', { consent: 'affirmed' })).text();
    expect(await reader(t, 'two@example.org')).toMatchObject({ status: 'active', consent: { wording: 'import: consent affirmed by an editor' } });
    await (await upload(s, '/admin/readers/import', 'email\nthree@example.org\n', { status: 'unsubscribed' })).text();
    expect((await reader(t, 'three@example.org')).status).toBe('unsubscribed');
    expect((await t.outbox()).length).toBe(1);
  });

  it('a file that cannot be imported is refused on the form with nothing written', async () => {
    const s = await editor();
    const res = await upload(s, '/admin/readers/import', 'name,city\nAnn,Ljubljana\n');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('No email column');
    const zip = await upload(s, '/admin/readers/import', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    expect(await zip.text()).toContain('spreadsheet or zip file');
    expect((await upload(s, '/admin/readers/import', csv, { 'map.email': 'Nope' })).status).toBe(400);
    expect((await t.client.execute('select count(*) as n from subscribers')).rows[0]!.n).toBe(0);
  });

  it('takes files past the desk’s 1 MiB limit; refuses past 32 MB; viewers and forms without the token are refused', async () => {
    const s = await editor();
    const rows = Array.from({ length: 20_000 }, (_, i) => `reader-${i}@example.org,Reader number ${i} of a rather long list of readers`).join('\n');
    const big = `email,name\n${rows}\n`;
    expect(big.length).toBeGreaterThan(1.25 * 1024 * 1024);
    const done = await (await upload(s, '/admin/readers/import', big, { consent: 'affirmed' })).text();
    expect(done).toMatch(/data-figure="added"><strong>20,000<\/strong>/);
    // The progress went into the page as the batches were written, before the summary.
    const steps = [...done.matchAll(/#import-bar\{width:(\d+)%\}/g)].map((m) => Number(m[1]));
    expect(steps.length).toBeGreaterThan(3);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(done.indexOf('#import-bar{width')).toBeLessThan(done.indexOf('data-import-summary'));
    // A lying size is caught by the header before anything is read.
    const huge = await t.app.request('/admin/readers/import', { method: 'POST', headers: { cookie: s.cookie, ...sameOrigin, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(33 * 1024 * 1024) }, body: 'x' });
    expect(huge.status).toBe(413);
    // The desk's other forms keep the 1 MiB limit.
    expect((await postForm(t, s, '/admin/readers/tags', { emails: 'x'.repeat(1.2 * 1024 * 1024), tags: 'donor', action: 'add' })).status).toBe(413);

    const v = await viewer();
    expect((await upload(v, '/admin/readers/import', 'email\nv@example.org\n', { consent: 'affirmed' })).status).toBe(403);
    expect((await t.app.request('/admin/readers/import', { headers: { cookie: v.cookie } })).status).toBe(403);
    expect((await upload(s, '/admin/readers/import', 'email\nc@example.org\n', { consent: 'affirmed' }, 'x.csv', false)).status).toBe(403);
    expect(await reader(t, 'v@example.org')).toBeUndefined();
    expect(await reader(t, 'c@example.org')).toBeUndefined();
  });
});
