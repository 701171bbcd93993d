import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../support/test-app';
import { fixture, importCsv, importJson, reader } from './support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const total = async () => (await (await t.admin('/admin/api/subscribers')).json()).total;

describe('import: files as they really arrive', () => {
  it('reads a UTF-8 BOM, semicolons, CRLF and quoted line breaks', async () => {
    const csv = '\ufeffemail;name;tags\r\n"semi@example.org";"Dana; the second";"a;b"\r\nnext@example.org;"Two\r\nlines";\r\nthird@example.org;Third;\r\n';
    const res = await importJson(t, csv, 'consent=affirmed');
    expect(res).toMatchObject({ delimiter: ';', added: 2 });
    expect(await reader(t, 'semi@example.org')).toMatchObject({ name: 'Dana; the second', tags: ['a', 'b'] });
    // A name with a line break is refused, as on the form; the line after it is counted right.
    expect(res.refused).toEqual([{ line: 3, reason: expect.stringMatching(/line breaks/) }]);
    expect(await reader(t, 'third@example.org')).toMatchObject({ name: 'Third' });
  });

  it('reads tab-separated files and UTF-16 (Excel "Unicode text")', async () => {
    expect(await importJson(t, 'email\tname\ntab@example.org\tTab Person\n')).toMatchObject({ delimiter: '\t', added: 1 });
    const text = 'email\tname\r\nwide@example.org\tŽana\r\n';
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer)]);
    expect(await importJson(t, utf16)).toMatchObject({ encoding: 'utf-16le', added: 1 });
    expect(await reader(t, 'wide@example.org')).toMatchObject({ name: 'Žana' });
  });

  it('reads Latin-1 / Windows-1252 text (Excel on Windows) correctly', async () => {
    const bytes = new Uint8Array([...Buffer.from('email,name\n', 'latin1'), ...Buffer.from('jose@example.org,Jos\xe9 M\xfcller \x80\n', 'latin1')]);
    const res = await importJson(t, bytes);
    expect(res).toMatchObject({ encoding: 'windows-1252', added: 1 });
    expect(await reader(t, 'jose@example.org')).toMatchObject({ name: 'José Müller €' });
  });

  it('refuses what is not CSV with a clear 400, and writes nothing', async () => {
    const cases: [Uint8Array | string, RegExp][] = [
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /spreadsheet or zip/],
      [new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), /PDF/],
      [new Uint8Array([0x65, 0x6d, 0x00, 0x01, 0x02]), /binary/],
      ['', /empty/],
      ['{"subscribers": [{"email": "a@example.org"}]}', /JSON, not CSV/],
      ['name,city\nAnn,Bled\n', /No email column/],
      ['a@example.org,Ann\nb@example.org,Bo\n', /header row/],
      ['<html><body>Hello</body></html>', /HTML or XML/],
    ];
    for (const [body, message] of cases) {
      const res = await importCsv(t, body);
      expect(res.status, String(message)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    expect((await t.admin('/admin/api/subscribers/import', { method: 'POST', body: '{}' })).status).toBe(415);
    const form = await t.admin('/admin/api/subscribers/import', { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    expect(form.status).toBe(400);
    expect(await total()).toBe(0);
  });

  it('imports the good rows of a file with bad ones and reports each bad row with its line', async () => {
    const csv = [
      'email,name,status',
      'good.one@example.org,One,subscribed',
      'not an address,Two,subscribed',
      ',Three,subscribed',
      'good.four@example.org,Four,sleeping',
      'good.five@example.org,"Five ""quoted""",subscribed',
      'bad"quote@example.org,"x"y,subscribed',
      'good.seven@example.org,Seven,subscribed',
      '',
    ].join('\n');
    const res = await importJson(t, csv, 'consent=affirmed');
    expect(res).toMatchObject({ added: 3, rows: 7, refusedCount: 4 });
    expect(res.refused).toEqual([
      { line: 3, reason: '"not an address" is not a valid email address' },
      { line: 4, reason: 'no email address' },
      { line: 5, reason: 'unknown status "sleeping"' },
      { line: 7, reason: expect.stringMatching(/not a valid email address|quote/) },
    ]);
    expect(await reader(t, 'good.five@example.org')).toMatchObject({ name: 'Five "quoted"' });
  });

  it('reports an unclosed quote from the line where it starts', async () => {
    const res = await importJson(t, 'email,name\nok@example.org,Ok\nopen@example.org,"never closed\nlost@example.org,Lost\n', 'consent=affirmed');
    expect(res.added).toBe(1);
    expect(res.refused).toEqual([{ line: 3, reason: expect.stringMatching(/never closed.*not read/) }]);
  });

  it('validates and normalises addresses as the sign-up form does; an address twice counts once', async () => {
    const csv = 'email\n  Spaced@Example.ORG  \nspaced@example.org\nSPACED@EXAMPLE.ORG\n"a@b@example.org"\nx@localhost\n';
    const res = await importJson(t, csv, 'consent=affirmed');
    expect(res).toMatchObject({ added: 1, duplicates: 2, refusedCount: 2 });
    expect(await reader(t, 'Spaced@example.org')).toMatchObject({ status: 'active' });
    expect(await total()).toBe(1);
  });

  it('importing the same file twice changes nothing', async () => {
    const first = await importJson(t, fixture('mailchimp-subscribed.csv'));
    expect(first.added).toBe(3);
    const before = await t.client.execute('select * from subscribers order by id');
    const events = await t.client.execute('select count(*) as n from subscriber_events');
    t.advance(60_000);
    const second = await importJson(t, fixture('mailchimp-subscribed.csv'));
    expect(second).toMatchObject({ added: 0, updated: 0, unchanged: 3, suppressed: 0 });
    expect((await t.client.execute('select * from subscribers order by id')).rows).toEqual(before.rows);
    expect((await t.client.execute('select count(*) as n from subscriber_events')).rows).toEqual(events.rows);
  });

  it('a file larger than the general 1 MiB API limit is accepted', async () => {
    const lines = ['email,name'];
    for (let i = 0; i < 10_000; i++) lines.push(`big-${i}@example.org,Reader ${i} ${'with a long name '.repeat(5).trim()}`);
    const csv = lines.join('\n');
    expect(csv.length).toBeGreaterThan(1024 * 1024);
    const res = await importJson(t, csv);
    expect(res).toMatchObject({ added: 10_000, refusedCount: 0 });
    // Other admin routes keep the small limit.
    const big = await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'x@example.org', name: 'y'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
  });
});
