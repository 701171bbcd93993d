import { readFileSync } from 'node:fs';
import type { TestApp } from '../../support/test-app';

export const fixture = (name: string) => readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url));

/** POSTs a CSV body (text or bytes) to the import route. */
export const importCsv = (t: TestApp, body: string | Uint8Array, query = '', path = '/admin/api/subscribers/import') =>
  t.admin(`${path}${query ? `?${query}` : ''}`, { method: 'POST', body: body as BodyInit, headers: { 'content-type': 'text/csv' } });

export async function importJson(t: TestApp, body: string | Uint8Array, query = '') {
  const res = await importCsv(t, body, query);
  const json = await res.json();
  if (res.status !== 200) throw new Error(`import answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

export async function reader(t: TestApp, email: string) {
  const list = await (await t.admin(`/admin/api/subscribers?q=${encodeURIComponent(email)}`)).json();
  return list.subscribers.find((s: { email: string }) => s.email === email);
}

/** A file with most of what can go wrong: refusals, repeats, quoted line breaks, a stray quote, statuses. */
export function messyFile(rows: number) {
  const lines = ['email,name,status,tags,consent_at'];
  for (let i = 0; i < rows; i++) {
    const status = ['', 'unsubscribed', 'active', 'pending', 'bounced', 'bogus'][i % 6];
    const email = i % 11 === 0 ? `Reader.${i}@EXAMPLE.org` : i % 17 === 0 ? `not-an-address-${i}` : `reader.${i}@example.org`;
    const name = i % 7 === 0 ? `"Two\r\nlines ${i}"` : i % 5 === 0 ? `Name ${i}` : '';
    lines.push([email, name, status, i % 3 === 0 ? '"donor;Paying Member"' : '', i % 4 === 0 ? '2024-01-02 03:04:05' : i % 19 === 0 ? 'yesterday' : ''].join(','));
    if (i % 23 === 0) lines.push(`reader.${i}@example.org,again,,,`);
    if (i === 700) lines.push('"broken@example.org,x"y,,,');
  }
  return lines.join('\r\n') + '\r\n';
}
