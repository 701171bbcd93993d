/**
 * The import, export and erasure on the Workers build, in workerd with D1: a file of a few
 * thousand rows sent in two pieces (header repeated, ?lineOffset= for line numbers), as a client
 * sends a large file within the request limits; the same result as one piece; erasure leaves a
 * tombstone that the next import respects.
 */
import { describe, expect, it } from 'vitest';
import { admin, adminJson } from './support/worker-client';

const tag = Date.now().toString(36);
const address = (i: number) => `piece-${tag}-${i}@readers.example.net`;

function csv(from: number, to: number) {
  const lines = ['"Email Address","First Name","Last Name","OPTIN_TIME","OPTIN_IP","CONFIRM_TIME","CONFIRM_IP","LEID","TAGS"'];
  for (let i = from; i < to; i++) lines.push(`"${address(i)}","Reader","${i}","2024-02-02 10:00:00","198.51.100.1","2024-02-02 10:05:00","198.51.100.1",${i},"""worker-${tag}"""`);
  if (from === 0) lines.push('"not an address","Bad","Row","","","","",0,""');
  return lines.join('\r\n') + '\r\n';
}

const importPiece = (body: string, query: string) =>
  adminJson(`/admin/api/subscribers/import?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/csv' } });

describe('import and export on Workers (D1)', () => {
  it('imports a file in two pieces, repeats without change, exports it and honours erasure', async () => {
    const first = await importPiece(csv(0, 1500), 'file=members.csv');
    expect(first).toMatchObject({ format: 'mailchimp', added: 1500, refused: [{ line: 1502, reason: expect.stringContaining('not a valid email') }] });
    const second = await importPiece(csv(1500, 3000), 'file=members.csv&lineOffset=1501');
    expect(second).toMatchObject({ added: 1500, refused: [] });
    const again = await importPiece(csv(1500, 3000), 'file=members.csv&lineOffset=1501');
    expect(again).toMatchObject({ added: 0, unchanged: 1500 });

    const list = await adminJson(`/admin/api/subscribers?tag=worker-${tag}&limit=1`);
    expect(list.total).toBe(3000);
    const exported = await (await admin(`/admin/api/subscribers/export?tag=worker-${tag}`)).text();
    expect(exported.trim().split('\r\n')).toHaveLength(3001);
    expect(exported).toContain(`${address(2999)},Reader 2999,active`);

    const victim = list.subscribers[0];
    expect((await admin(`/admin/api/subscribers/${victim.id}`, { method: 'DELETE' })).status).toBe(204);
    const reimport = await importPiece(`email\n${victim.email}\n`, 'consent=affirmed');
    expect(reimport).toMatchObject({ added: 0, skipped: 1 });
  });
});
