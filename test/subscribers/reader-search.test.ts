import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { subscribers } from '../../src/db/schema';
import { mailboxKey } from '../../src/subscribers/mailbox';
import { searchWhere } from '../../src/subscribers/reader-filter';
import { createTestApp, type TestApp } from '../support/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** The search as it was before it read the mailbox's range for the address's: all five ranges. */
function searchBefore(raw: string): SQL {
  const q = raw.trim();
  const TOP = '\u{10FFFF}';
  const low = q.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const domain = sql`substr(${subscribers.email}, instr(${subscribers.email}, '@') + 1)`;
  if (q.startsWith('@')) return sql`(${domain} >= ${low.slice(1)} and ${domain} < ${low.slice(1) + TOP})`;
  const range = (column: SQL) => sql`(${column} >= ${low} and ${column} < ${low + TOP})`;
  const nocase = (column: SQL) => sql`(${column} collate nocase >= ${q} and ${column} collate nocase < ${q + TOP})`;
  return sql`(${range(sql`${subscribers.email}`)} or ${range(sql`${subscribers.mailbox}`)} or ${range(domain)}
    or ${nocase(sql`${subscribers.name}`)} or ${nocase(sql`substr(${subscribers.name}, instr(${subscribers.name}, ' ') + 1)`)})`;
}

describe('a search by address', () => {
  it('finds the same readers as the address, mailbox, domain and name ranges together, for every prefix of awkward addresses', async () => {
    // Addresses whose mailbox key differs from them (case, +tags, Gmail's dots, googlemail.com),
    // and rows from before the mailbox column that shared an earlier reader's mailbox (null).
    const addresses = [
      'anne@example.org',
      'Ann.Lee@Example.org',
      'ann+news@example.org',
      'ANNA+Digest@example.org',
      'a.n.n@gmail.com',
      'Ann.Lee+x@googlemail.com',
      '+plus@example.org',
      'bo-1@river.example',
      'bo-10@river.example',
      'BO-11@river.example',
      'bo-12+a.b@river.example',
      'zoë@example.org',
    ];
    const legacy = ['Ann@example.org', 'bo-1+old@river.example', 'a.n.n+x@gmail.com'];
    for (const email of addresses) await t.db.run(sql`insert into subscribers (email, mailbox, status) values (${email}, ${mailboxKey(email)}, 'active')`);
    for (const email of legacy) await t.db.run(sql`insert into subscribers (email, mailbox, status) values (${email}, null, 'active')`);
    await t.db.run(sql`update subscribers set name = 'Mara Bo-1' where email = 'zoë@example.org'`);

    const queries = new Set<string>(['+', '.', '@', '@g', '@googlemail', 'ann+', 'ann.', 'a.n', 'ann@', 'bo-1+', 'zo', 'mara b', 'BO-1', 'Bo-1']);
    for (const email of [...addresses, ...legacy]) {
      for (const text of [email, mailboxKey(email)]) {
        for (let i = 1; i <= text.length; i++) {
          queries.add(text.slice(0, i));
          queries.add(text.slice(0, i).toUpperCase());
        }
      }
    }
    const ids = async (where: SQL) => (await t.db.all<{ id: number }>(sql`select id from subscribers where ${where} order by id`)).map((r) => r.id);
    let found = 0;
    for (const q of queries) {
      const before = await ids(searchBefore(q));
      expect(await ids(searchWhere(q)), q).toEqual(before);
      found += before.length;
    }
    expect(found).toBeGreaterThan(queries.size); // the queries do find readers
  });
});
