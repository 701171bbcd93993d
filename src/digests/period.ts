import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/database';
import { campaigns } from '../db/schema';

export const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Where the next digest's articles start: the end of the previous digest's window, or a week
 * before `now` when there has been none. A refresh reads the feed back to here.
 */
export async function nextDigestStart(db: Database, now: number): Promise<number> {
  const [last] = await db
    .select({ periodEnd: campaigns.periodEnd })
    .from(campaigns)
    .where(and(eq(campaigns.kind, 'digest'), isNotNull(campaigns.periodEnd)))
    .orderBy(desc(campaigns.periodEnd))
    .limit(1);
  return last?.periodEnd ?? now - WEEK_MS;
}
