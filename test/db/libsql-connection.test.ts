import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLibsql } from '../../src/db/libsql';

const dir = mkdtempSync(join(tmpdir(), 'broadside-libsql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local libSQL database', () => {
  it('runs overlapping calls with the settings openLibsql made (WAL sync, busy wait), not a fresh connection', async () => {
    const { client } = await openLibsql(`file:${join(dir, 'db.sqlite')}`);
    // Calls that overlap (a Promise.all, two requests at once) must all see the same connection
    // settings: a second connection would fsync every commit and fail at once on a busy lock.
    const seen = await Promise.all(
      [1, 2, 3, 4].map(() => client.execute('select s.synchronous, b.timeout from pragma_synchronous s, pragma_busy_timeout b')),
    );
    for (const r of seen) expect({ ...r.rows[0] }).toEqual({ synchronous: 1, timeout: 5000 });
    client.close();
  });
});
