import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import type { Database } from './database';
import * as schema from './schema';

/** Whether a DATABASE_URL names a remote libSQL server (Turso) that the HTTP client can reach. */
export const isRemoteLibsqlUrl = (url: string) => /^(libsql|https?):\/\//i.test(url);

/**
 * Drizzle over Turso with the HTTP-only `@libsql/client/web`, the one libSQL client that runs
 * inside workerd (the default client loads native code). Migrations are not applied here: the
 * migrator reads drizzle/ from disk, which a Worker has not got; run them from a machine with
 * Node (docs/deploy-cloudflare.md says how).
 */
export function openLibsqlWeb(url: string, authToken?: string): Database {
  const client = createClient({ url, authToken });
  return drizzle(client, { schema }) as unknown as Database;
}
