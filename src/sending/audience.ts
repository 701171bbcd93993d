import { sql, type SQL } from 'drizzle-orm';
import type { Campaign } from '../db/schema';

const DAY_MS = 24 * 3600 * 1000;

/** The column that says a reader wants this campaign's topic. */
export const topicColumn = (campaign: Pick<Campaign, 'topic'>) =>
  campaign.topic === 'digest' ? sql.raw('s.wants_digest') : sql.raw('s.wants_appeals');

/**
 * Who a campaign goes to, as a WHERE clause over `subscribers s`: active readers with the
 * campaign's topic; for appeals, not those who had an appeal within APPEAL_MIN_DAYS and, if
 * asked, not donors. Bounced, complained, pending and unsubscribed readers never match.
 */
export function audienceWhere(campaign: Pick<Campaign, 'id' | 'kind' | 'topic' | 'excludeDonors'>, args: { now: number; appealMinDays: number }): SQL {
  const parts: SQL[] = [sql`s.status = 'active'`, sql`${topicColumn(campaign)} = 1`];
  if (campaign.kind === 'appeal') {
    const since = args.now - args.appealMinDays * DAY_MS;
    // Uses deliveries_subscriber_idx (subscriber_id, sent_at).
    parts.push(sql`not exists (
      select 1 from deliveries d join campaigns c on c.id = d.campaign_id
      where d.subscriber_id = s.id and c.kind = 'appeal' and c.id <> ${campaign.id}
        and d.status = 'sent' and d.sent_at >= ${since})`);
    if (campaign.excludeDonors) {
      parts.push(sql`not exists (select 1 from json_each(s.tags) t where t.value = 'donor')`);
    }
  }
  return sql.join(parts, sql` and `);
}
