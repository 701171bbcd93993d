import { sql } from 'drizzle-orm';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { audienceWhere } from '../../sending/audience';

/** How many readers the campaign would go to if it were sent now: the send's own WHERE clause. */
export async function audienceSize(deps: Pick<Deps, 'db' | 'config' | 'now'>, c: Campaign): Promise<number> {
  const where = audienceWhere(c, { now: deps.now(), appealMinDays: deps.config.appealMinDays });
  const [row] = await deps.db.all<{ n: number }>(sql`select count(*) as n from subscribers s where ${where}`);
  return Number(row?.n ?? 0);
}
