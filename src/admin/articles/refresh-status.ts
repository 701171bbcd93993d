import { eq } from 'drizzle-orm';
import type { RefreshReport } from '../../articles/refresh-feed';
import type { Database } from '../../db/database';
import { settings } from '../../db/schema';

const KEY = 'feed_last_refresh';

export interface RefreshStatus {
  at: number;
  ok: boolean;
  error?: string;
  added?: number;
  updated?: number;
  notModified?: boolean;
  /** The last time a refresh worked, kept when a later one fails. */
  lastOkAt?: number;
}

/** Remembers how the last feed refresh went (scheduled or from the desk), for the articles page. */
export async function recordRefresh(db: Database, report: RefreshReport, now: number): Promise<void> {
  const before = await loadRefreshStatus(db);
  const value: RefreshStatus = report.ok
    ? { at: now, ok: true, added: report.added, updated: report.updated, notModified: report.notModified, lastOkAt: now }
    : { at: now, ok: false, error: report.error.slice(0, 500), lastOkAt: before?.lastOkAt };
  const json = JSON.stringify(value);
  await db.insert(settings).values({ key: KEY, value: json }).onConflictDoUpdate({ target: settings.key, set: { value: json } });
}

export async function loadRefreshStatus(db: Database): Promise<RefreshStatus | null> {
  const row = await db.select().from(settings).where(eq(settings.key, KEY)).get();
  if (!row) return null;
  try {
    return JSON.parse(row.value) as RefreshStatus;
  } catch {
    return null;
  }
}
