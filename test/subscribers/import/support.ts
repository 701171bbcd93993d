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
