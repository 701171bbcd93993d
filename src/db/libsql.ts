import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { LibsqlFileClient } from './libsql-file';
import * as schema from './schema';
import type { Database } from './database';

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface LibsqlDatabase {
  db: Database;
  client: Client;
}

/** The file a local URL names: `file:path`, `file:///abs/path`, `file://localhost/abs/path`, `:memory:`. */
function localPath(url: string): string {
  if (url === ':memory:') return url;
  let path = url.slice('file:'.length);
  if (path.startsWith('//')) {
    const host = path.slice(2, path.indexOf('/', 2) === -1 ? undefined : path.indexOf('/', 2));
    if (host !== '' && host.toLowerCase() !== 'localhost') throw new Error(`DATABASE_URL ${url}: a file URL names no host (use file:/absolute/path or file:relative/path)`);
    path = path.slice(2 + host.length);
  }
  if (/[?#]/.test(path)) throw new Error(`DATABASE_URL ${url}: a file URL takes no query or fragment`);
  if (!path) throw new Error(`DATABASE_URL ${url}: name a file (file:./data/broadside.db) or :memory:`);
  return decodeURIComponent(path);
}

/** Opens a libSQL database (file:, :memory:, libsql://) and brings it to the latest migration. */
export async function openLibsql(url: string, authToken?: string): Promise<LibsqlDatabase> {
  const local = url.startsWith('file:') || url === ':memory:';
  const path = local ? localPath(url) : undefined;
  if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  // One connection for a local file (LibsqlFileClient has no other). @libsql/client would open
  // more whenever two calls overlap (one awaits its connection while another asks), and the
  // PRAGMAs below are per connection: the extra ones ran with synchronous=FULL (an fsync per
  // commit, which capped POST /subscribe at a sixth of its rate) and busy_timeout=0 (a CLI next
  // to the server got SQLITE_BUSY at once). Node runs every statement on one thread anyway; only
  // an interactive transaction would need a second connection, and Broadside uses batches instead.
  const client: Client = local ? new LibsqlFileClient(path!) : createClient({ url, authToken });
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
