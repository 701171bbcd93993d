import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema';
import type { Database } from './database';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface LibsqlDatabase {
  db: Database;
  client: Client;
}

/** Opens a libSQL database (file:, :memory:, libsql://) and brings it to the latest migration. */
export async function openLibsql(url: string, authToken?: string): Promise<LibsqlDatabase> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  const local = url.startsWith('file:') || url === ':memory:';
  // One connection for a local file: the PRAGMAs below are per connection, and the client's pool
  // would otherwise open more whenever two calls overlap (a Promise.all), each with SQLite's
  // defaults (synchronous = FULL, an fsync per commit; busy_timeout = 0, SQLITE_BUSY at once).
  // A pool buys nothing here: the embedded engine runs every statement on this thread anyway.
  const client = createClient({ url, authToken, ...(local ? { concurrency: 1 } : {}) });
  if (local) {
    // WAL lets readers (admin, healthz) proceed while the send loop writes; busy_timeout makes a
    // second process (the CLI) wait for a lock instead of failing at once.
    // An in-memory database has no WAL and keeps its journal mode: nothing to report there.
    await client.execute('PRAGMA journal_mode = WAL').catch((cause) => {
      if (url !== ':memory:') console.warn(JSON.stringify({ level: 'warn', message: 'WAL not enabled', url, error: String(cause) }));
    });
    await client.execute('PRAGMA busy_timeout = 5000');
    // In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the process loses
    // nothing and the file cannot corrupt; only a power cut may lose the last moments of writes.
    // FULL would fsync every sign-up and cap POST /subscribe at the disk's flush rate.
    await client.execute('PRAGMA synchronous = NORMAL');
  }
  await client.execute('PRAGMA foreign_keys = ON');
  const db = drizzle(client, { schema }) as unknown as Database;
  await migrate(db as never, { migrationsFolder });
  return { db, client };
}
