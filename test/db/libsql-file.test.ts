import { createClient, LibsqlBatchError, LibsqlError, type Client, type InStatement, type ResultSet } from '@libsql/client';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibsqlFileClient } from '../../src/db/libsql-file';

const dir = mkdtempSync(join(tmpdir(), 'broadside-libsql-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = () => join(dir, `db-${++files}.db`);

/** What a caller can see of a result: its JSON, and each row as array and as object. */
const seen = (rs: ResultSet) => ({
  json: rs.toJSON(),
  columns: rs.columns,
  rowsAffected: rs.rowsAffected,
  lastInsertRowid: rs.lastInsertRowid,
  rows: rs.rows.map((row) => ({ length: row.length, values: Array.from(row), keys: Object.keys(row), named: { ...row } })),
});
const failure = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err as LibsqlError);
  return e && { type: e.constructor.name, message: e.message, code: e.code, extendedCode: e.extendedCode, rawCode: e.rawCode, statementIndex: (e as LibsqlBatchError).statementIndex };
};

/** The same statements, with everything a caller may look at, through one client. */
async function script(client: Client) {
  const out: unknown[] = [];
  const run = async (stmt: InStatement) => out.push(seen(await client.execute(stmt)));
  await run('create table t (id integer primary key, n integer, r real, s text unique, b blob, flag integer)');
  await run({ sql: 'insert into t (n, r, s, b, flag) values (?, ?, ?, ?, ?)', args: [42, 1.5, 'a', new Uint8Array([1, 2, 3]), true] });
  await run({ sql: 'insert into t (n, r, s, b, flag) values (:n, @r, $s, :b, :f)', args: { ':n': 7n, '@r': 0, $s: 'b', ':b': new Uint8Array([9]).buffer, ':f': false } });
  await run({ sql: 'insert into t (n, s) values (:n, :s)', args: { n: new Date(86_400_000), s: 'c' } });
  await run('insert into t (n, s) values (null, null) returning id, n, s');
  await run('select * from t order by id');
  await run('select n, n as n, s as x, count(*) over () as total from t order by id');
  await run('update t set r = r + 1 where r is not null');
  await run('select 1 where 0');
  await run('PRAGMA foreign_keys');
  out.push(await failure(client.execute({ sql: 'insert into t (s) values (?)', args: ['a'] })));
  out.push(await failure(client.execute('select nope from t')));
  out.push(await failure(client.execute({ sql: 'select ?', args: [undefined as never] })));
  out.push(await failure(client.execute({ sql: 'select ?', args: [Number.NaN] })));
  out.push(await failure(client.execute('select 9007199254740993')));
  // A batch is one transaction: a failing statement undoes the ones before it.
  out.push(await failure(client.batch([{ sql: "insert into t (s) values ('d')" }, { sql: "insert into t (s) values ('a')" }], 'write')));
  out.push((await client.batch([["insert into t (s) values ('e') returning s"], 'select count(*) as n from t'])).map(seen));
  await run('select s from t order by id');
  return out;
}

describe('the local database client', () => {
  it('answers as @libsql/client does: rows, values, counts and errors', async () => {
    const reference = createClient({ url: `file:${file()}` });
    const cached = new LibsqlFileClient(file());
    // Twice through: the second run uses the statements the first one prepared.
    const expected = await script(reference);
    expect(await script(cached)).toEqual(expected);
    const mem = new LibsqlFileClient(':memory:');
    expect(await script(mem)).toEqual(expected);
    reference.close();
    cached.close();
    mem.close();
  });

  it('runs a statement again after it failed, and a batch again after one failed', async () => {
    const client = new LibsqlFileClient(file());
    await client.execute('create table t (s text unique)');
    const insert = { sql: 'insert into t (s) values (?)', args: ['x'] };
    await client.execute(insert);
    await expect(client.execute(insert)).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    await expect(client.batch([{ sql: insert.sql, args: ['y'] }, insert])).rejects.toBeInstanceOf(LibsqlBatchError);
    await client.batch([{ sql: insert.sql, args: ['y'] }, { sql: insert.sql, args: ['z'] }]);
    expect((await client.execute('select s from t order by s')).rows.map((r) => r.s)).toEqual(['x', 'y', 'z']);
    client.close();
  });

  it('holds no read or write lock between calls, so another process can write and checkpoint', async () => {
    const path = file();
    const server = new LibsqlFileClient(path);
    await server.execute('PRAGMA journal_mode = WAL');
    await server.execute('create table t (n integer)');
    // More rows than libsql fetches at once, so a kept SELECT left mid-way would still hold a read
    // transaction and make the checkpoint below report busy.
    await server.execute('with recursive k(n) as (select 0 union all select n + 1 from k where n < 999) insert into t select n from k');
    for (let i = 0; i < 3; i++) await server.execute('select n from t order by n');
    await server.execute('select n from t limit 1');
    const cli = createClient({ url: `file:${path}` });
    await cli.execute('insert into t values (1000)');
    const checkpoint = (await cli.execute('PRAGMA wal_checkpoint(TRUNCATE)')).rows[0]!;
    // busy = 0: no other connection was reading; the log emptied entirely.
    expect([checkpoint[0], checkpoint[1], checkpoint[2]]).toEqual([0, 0, 0]);
    expect((await server.execute('select count(*) as n from t')).rows[0]!.n).toBe(1001);
    cli.close();
    server.close();
  });

  it('sees a schema change in a statement it prepared before the change', async () => {
    const path = file();
    const client = new LibsqlFileClient(path);
    await client.execute('create table t (a integer)');
    await client.execute('insert into t values (1)');
    expect((await client.execute('select * from t')).columns).toEqual(['a']);
    await client.execute('alter table t add column b text');
    await client.executeMultiple("alter table t add column c text; update t set b = 'x', c = 'y';");
    const after = await client.execute('select * from t');
    expect(after.columns).toEqual(['a', 'b', 'c']);
    expect({ ...after.rows[0] }).toEqual({ a: 1, b: 'x', c: 'y' });
    await client.execute('alter table t rename column c to d');
    expect({ ...(await client.execute('select * from t')).rows[0] }).toEqual({ a: 1, b: 'x', d: 'y' });
    // Another process (a CLI's migration) adds a column: the kept statement reads it too.
    const other = createClient({ url: `file:${path}` });
    await other.execute("alter table t add column e text default 'z'");
    other.close();
    expect({ ...(await client.execute('select * from t')).rows[0] }).toEqual({ a: 1, b: 'x', d: 'y', e: 'z' });
    client.close();
  });

  it('is closed for good after close()', async () => {
    const client = new LibsqlFileClient(file());
    await client.execute('select 1');
    client.close();
    expect(client.closed).toBe(true);
    await expect(client.execute('select 1')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(client.batch(['select 1'])).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('refuses an interactive transaction instead of mixing other requests into it', async () => {
    const client = new LibsqlFileClient(file());
    await expect(client.transaction('write')).rejects.toBeInstanceOf(LibsqlError);
    client.close();
  });
});
