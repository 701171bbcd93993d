import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/libsql';
import * as schema from '../../src/db/schema';
import { mailboxKey } from '../../src/subscribers/mailbox';

/**
 * Migrations must be additive. drizzle-kit rebuilds a table (create __new_x, copy, drop, rename)
 * for some changes, and on D1 that silently deletes the rows of child tables with
 * ON DELETE CASCADE (DESIGN.md). These tests keep such a migration from landing unnoticed, and
 * bring a database with data through every migration step.
 */
const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
  entries: { idx: number; tag: string }[];
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A copy of drizzle/ that stops after the first `count` migrations. */
function folderWith(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'broadside-migrations-'));
  dirs.push(dir);
  cpSync(migrationsFolder, dir, { recursive: true });
  writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return dir;
}

describe('migrations', () => {
  it('every migration only adds: no table rebuilds, drops or renames', () => {
    const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBe(journal.entries.length);
    for (const file of files) {
      const sql = readFileSync(join(migrationsFolder, file), 'utf8');
      expect(sql, file).not.toMatch(/\bDROP\s+TABLE\b/i);
      expect(sql, file).not.toMatch(/__new_/);
      expect(sql, file).not.toMatch(/\bRENAME\s+TO\b/i);
      expect(sql, file).not.toMatch(/\bDROP\s+COLUMN\b/i);
    }
  });

  it('brings a database with readers, history and a sent campaign through each step without losing a row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broadside-upgrade-'));
    dirs.push(dir);
    const client = createClient({ url: `file:${join(dir, 'db.sqlite')}` });
    await client.execute('PRAGMA foreign_keys = ON');
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: folderWith(1) });
    // Rows in the tables of the first migration, parents and cascading children alike.
    await client.executeMultiple(`
      insert into subscribers (email, status) values ('a@example.org', 'active'), ('b@example.org', 'unsubscribed');
      insert into subscriber_events (subscriber_id, type) values (1, 'confirmed'), (2, 'unsubscribed');
      insert into campaigns (kind, status, subject, topic, content) values ('appeal', 'sent', 'Appeal', 'appeals', '{"kind":"appeal"}');
      insert into deliveries (campaign_id, subscriber_id, chunk, status, provider_id) values (1, 1, 0, 'sent', 're_1');
      insert into send_chunks (campaign_id, chunk, status) values (1, 0, 'sent');
      insert into articles (guid, url, title, published_at) values ('g', 'https://news.example.org/a', 'A', 0);
    `);
    const tables = ['subscribers', 'subscriber_events', 'campaigns', 'deliveries', 'send_chunks', 'articles'];
    const counts = async () => Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await client.execute(`select count(*) as n from ${t}`)).rows[0]!.n)])));
    const before = await counts();
    for (let step = 2; step <= journal.entries.length; step++) {
      await migrate(db, { migrationsFolder: folderWith(step) });
      expect(await counts(), journal.entries[step - 1]!.tag).toEqual(before);
    }
    expect((await client.execute('pragma foreign_key_check')).rows).toEqual([]);
    client.close();
  });

  it('fills in the mailbox of existing readers as mailboxKey does; readers sharing a mailbox keep their rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broadside-mailbox-'));
    dirs.push(dir);
    const client = createClient({ url: `file:${join(dir, 'db.sqlite')}` });
    const db = drizzle(client, { schema });
    const step = journal.entries.findIndex((e) => e.tag.includes('mailbox'));
    await migrate(db, { migrationsFolder: folderWith(step) });
    const emails = ['Victim@example.org', 'victim+news@example.org', 'Jo.Smith@example.org', 'V.I.P+x@googlemail.com', '+plus@example.org', 'zoë@example.org'];
    for (const email of emails) await client.execute({ sql: "insert into subscribers (email, status) values (?, 'active')", args: [email] });
    await migrate(db, { migrationsFolder: folderWith(step + 1) });
    const rows = (await client.execute('select email, mailbox from subscribers order by id')).rows.map((r) => [r.email, r.mailbox]);
    expect(rows).toEqual([
      ['Victim@example.org', mailboxKey('Victim@example.org')],
      // The second spelling of an earlier reader's mailbox stays a row of its own, without the key.
      ['victim+news@example.org', null],
      ['Jo.Smith@example.org', mailboxKey('Jo.Smith@example.org')],
      ['V.I.P+x@googlemail.com', mailboxKey('V.I.P+x@googlemail.com')],
      ['+plus@example.org', mailboxKey('+plus@example.org')],
      ['zoë@example.org', mailboxKey('zoë@example.org')],
    ]);
    client.close();
  });
});
