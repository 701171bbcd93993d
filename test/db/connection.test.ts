import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibsql } from '../../src/db/libsql';

const dir = mkdtempSync(join(tmpdir(), 'broadside-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the libSQL file database', () => {
  it('keeps its settings on every statement, also when calls overlap', async () => {
    const { client } = await openLibsql(`file:${join(dir, 'settings.db')}`);
    // Overlapping calls, as concurrent requests and the deferred mail sender make them.
    const ask = (pragma: string) => Promise.all(Array.from({ length: 8 }, () => client.execute(`PRAGMA ${pragma}`)));
    const values = async (pragma: string) => (await ask(pragma)).map((r) => Number(r.rows[0]![0]));
    // 1 = NORMAL: no fsync per commit in WAL mode.
    expect(new Set(await values('synchronous'))).toEqual(new Set([1]));
    // A second process (the CLI) waits for the write lock instead of failing at once.
    expect(new Set(await values('busy_timeout'))).toEqual(new Set([5000]));
    expect(new Set(await values('foreign_keys'))).toEqual(new Set([1]));
    client.close();
  });
});
