import { sql } from 'drizzle-orm';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { audienceWhere, topicColumn } from '../../sending/audience';

/**
 * How many readers the campaign would go to if it were sent now: the send's own WHERE clause.
 * For a digest or custom campaign that is "active readers with the topic", answered as the
 * running total of active readers less those who turned the topic off (partial indexes,
 * drizzle/*_issue14_reader_search.sql): at 1,000,000 readers a count of the WHERE clause reads
 * an index entry per active reader (about 200 ms), this a handful. INDEXED BY, as without
 * statistics SQLite prefers the status index for the second count, which is the same long read. Appeals keep the count of
 * their WHERE clause, which also leaves out readers appealed to lately and, if asked, donors.
 */
export async function audienceSize(deps: Pick<Deps, 'db' | 'config' | 'now'>, c: Campaign): Promise<number> {
  if (c.kind !== 'appeal') {
    const [row] = await deps.db.all<{ n: number }>(sql`
      select coalesce((select n from subscriber_counts where status = 'active'), 0)
        - (select count(*) from subscribers s indexed by ${sql.raw(c.topic === 'digest' ? 'subscribers_active_without_digest_idx' : 'subscribers_active_without_appeals_idx')}
           where s.status = 'active' and ${topicColumn(c)} = 0) as n`);
    return Number(row?.n ?? 0);
  }
  const where = audienceWhere(c, { now: deps.now(), appealMinDays: deps.config.appealMinDays });
  const [row] = await deps.db.all<{ n: number }>(sql`select count(*) as n from subscribers s where ${where}`);
  return Number(row?.n ?? 0);
}
