import { eq } from 'drizzle-orm';
import type { Config } from './config';
import type { Database } from './db/database';
import { settings } from './db/schema';
import type { Secrets } from './deps';

function randomToken(bytes: number): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Secrets come from configuration when set; otherwise they are generated once and kept in the
 * settings table, so links in emails already sent keep working after a restart.
 * `generated` names the ones made now, so the entry file can print the admin token once.
 */
export async function loadSecrets(
  db: Database,
  config: Pick<Config, 'secret' | 'adminToken'>,
): Promise<Secrets & { generated: ('secret' | 'adminToken')[] }> {
  const generated: ('secret' | 'adminToken')[] = [];
  const get = async (key: 'secret' | 'adminToken', configured: string | undefined, bytes: number) => {
    if (configured) return configured;
    const row = await db.select().from(settings).where(eq(settings.key, key)).get();
    if (row) return row.value;
    const value = randomToken(bytes);
    // Two processes starting together must agree on one value: keep whichever was stored first.
    await db.insert(settings).values({ key, value }).onConflictDoNothing();
    const stored = await db.select().from(settings).where(eq(settings.key, key)).get();
    if (stored?.value === value) generated.push(key);
    return stored?.value ?? value;
  };
  const secret = await get('secret', config.secret, 32);
  const adminToken = await get('adminToken', config.adminToken, 24);
  return { secret, adminToken, generated };
}
