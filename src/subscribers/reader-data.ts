import { desc, eq, sql } from 'drizzle-orm';
import { campaigns, deliveries } from '../db/schema';
import type { Database } from '../db/database';
import { getSubscriber, listEvents } from './queries';
import { serializeEvent, serializeSubscriber } from './serialize';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Everything Broadside holds about one reader (GDPR art. 15, right of access): the profile and
 * consent record, the whole history, every campaign they were sent and what they clicked.
 * Null when there is no such reader.
 */
export async function readerData(db: Database, id: number, now: number) {
  const reader = await getSubscriber(db, id);
  if (!reader) return null;
  const [events, sent, clicks] = await Promise.all([
    listEvents(db, id, 100_000),
    db
      .select({
        campaignId: deliveries.campaignId,
        subject: campaigns.subject,
        kind: campaigns.kind,
        status: deliveries.status,
        sentAt: deliveries.sentAt,
        deliveredAt: deliveries.deliveredAt,
        openedAt: deliveries.openedAt,
        clickedAt: deliveries.clickedAt,
        bouncedAt: deliveries.bouncedAt,
        complainedAt: deliveries.complainedAt,
      })
      .from(deliveries)
      .innerJoin(campaigns, eq(campaigns.id, deliveries.campaignId))
      .where(eq(deliveries.subscriberId, id))
      .orderBy(desc(deliveries.id)),
    db.all<{ campaign_id: number; url: string; clicks: number; first_at: number; last_at: number }>(sql`
      select c.campaign_id, l.url, c.clicks, c.first_at, c.last_at
      from link_clicks c join campaign_links l on l.id = c.link_id
      where c.subscriber_id = ${id} order by c.first_at`),
  ]);
  return {
    exportedAt: iso(now),
    reader: serializeSubscriber(reader),
    events: events.map(serializeEvent),
    deliveries: sent.map((d) => ({
      ...d,
      sentAt: iso(d.sentAt),
      deliveredAt: iso(d.deliveredAt),
      openedAt: iso(d.openedAt),
      clickedAt: iso(d.clickedAt),
      bouncedAt: iso(d.bouncedAt),
      complainedAt: iso(d.complainedAt),
    })),
    clicks: clicks.map((c) => ({ campaignId: c.campaign_id, url: c.url, clicks: c.clicks, firstAt: iso(c.first_at), lastAt: iso(c.last_at) })),
  };
}
