import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { epochSeconds } from '../tokens';
import { campaignLinks, campaignTracking, campaigns, deliveries, type SendSettings } from '../db/schema';

/** What checks a campaign's tracking tokens. */
export interface TrackingKey {
  /** The campaign's own key (link tokens; reader tokens of an unpaired campaign). */
  key: string;
  /** A paired campaign's issue time in seconds (its reader tokens are pair halves, src/tokens.ts); else null. */
  pairedAt: number | null;
}

export interface StoredLink extends TrackingKey {
  id: number;
  url: string;
}

const trackingKey = {
  key: campaignTracking.key,
  sendSettings: campaigns.sendSettings,
  startedAt: campaigns.startedAt,
};

const pairedAt = (row: { sendSettings: SendSettings | null; startedAt: number | null }) =>
  row.sendSettings?.pairedLinks && row.startedAt !== null ? epochSeconds(row.startedAt) : null;

/** A campaign's link at `position`, with the campaign's key to check the token against. */
export async function findLink(db: Database, campaignId: number, position: number): Promise<StoredLink | undefined> {
  const row = await db
    .select({ id: campaignLinks.id, url: campaignLinks.url, ...trackingKey })
    .from(campaignLinks)
    .innerJoin(campaignTracking, eq(campaignTracking.campaignId, campaignLinks.campaignId))
    .innerJoin(campaigns, eq(campaigns.id, campaignLinks.campaignId))
    .where(and(eq(campaignLinks.campaignId, campaignId), eq(campaignLinks.position, position)))
    .get();
  return row && { id: row.id, url: row.url, key: row.key, pairedAt: pairedAt(row) };
}

export async function findTrackingKey(db: Database, campaignId: number): Promise<TrackingKey | undefined> {
  const row = await db
    .select(trackingKey)
    .from(campaignTracking)
    .innerJoin(campaigns, eq(campaigns.id, campaignTracking.campaignId))
    .where(eq(campaignTracking.campaignId, campaignId))
    .get();
  return row && { key: row.key, pairedAt: pairedAt(row) };
}

/**
 * One click by a known reader: their row for the link counts up (the unique index makes a repeat
 * click an update), and the delivery remembers the first click. One batch. A reader erased since
 * the email went out is not recorded (their row is gone, and so is consent to track them).
 */
export async function recordClick(db: Database, args: { linkId: number; campaignId: number; subscriberId: number; at: number }) {
  await db.batch([
    db.run(sql`
      insert into link_clicks (link_id, campaign_id, subscriber_id, clicks, first_at, last_at)
      select ${args.linkId}, ${args.campaignId}, ${args.subscriberId}, 1, ${args.at}, ${args.at}
      where exists (select 1 from subscribers where id = ${args.subscriberId})
      on conflict (link_id, subscriber_id) do update set clicks = clicks + 1, last_at = excluded.last_at`),
    db
      .update(deliveries)
      .set({ clickedAt: sql`coalesce(${deliveries.clickedAt}, ${args.at})` })
      .where(and(eq(deliveries.campaignId, args.campaignId), eq(deliveries.subscriberId, args.subscriberId))),
  ]);
}

/** A click from a copy without a reader (the archive page, a preview). */
export async function recordAnonymousClick(db: Database, linkId: number) {
  await db
    .update(campaignLinks)
    .set({ anonymousClicks: sql`${campaignLinks.anonymousClicks} + 1` })
    .where(eq(campaignLinks.id, linkId));
}

/** The open pixel was loaded: the delivery remembers the first time. */
export async function recordOpen(db: Database, args: { campaignId: number; subscriberId: number; at: number }) {
  await db
    .update(deliveries)
    .set({ openedAt: sql`coalesce(${deliveries.openedAt}, ${args.at})` })
    .where(and(eq(deliveries.campaignId, args.campaignId), eq(deliveries.subscriberId, args.subscriberId)));
}
