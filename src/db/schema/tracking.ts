import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { campaigns } from './campaigns';
import { subscribers } from './subscribers';
import { nowMs } from './now';

/**
 * How a campaign's send was tracked, decided once when the send starts (TRACK_CLICKS,
 * TRACK_OPENS at that moment), and the campaign's own random key that signs its click and open
 * links. A key per campaign keeps link tokens independent of SECRET: rotating SECRET does not
 * break them, and one campaign's key can forge nothing elsewhere. The reader part of a paired
 * campaign's links (send settings `pairedLinks`) is signed with SECRET instead, by the MAC that
 * also signs the email's unsubscribe token (src/tokens.ts `readerPair`); unpaired campaigns sign
 * it with this key.
 */
export const campaignTracking = sqliteTable('campaign_tracking', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  /** base64url of 32 random bytes; HMAC-SHA256 key for this campaign's /r and /o tokens. */
  key: text('key').notNull(),
  clicks: integer('clicks', { mode: 'boolean' }).notNull(),
  opens: integer('opens', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull().default(nowMs),
});

/**
 * The links a campaign contained, numbered in order of first appearance. A click redirect can
 * only ever go to one of these rows: the token names (campaign, position), never a URL.
 */
export const campaignLinks = sqliteTable(
  'campaign_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    url: text('url').notNull(),
    /** Clicks without a reader: the archive page and previews carry the link without a reader token. */
    anonymousClicks: integer('anonymous_clicks').notNull().default(0),
  },
  (t) => [uniqueIndex('campaign_links_position_unique').on(t.campaignId, t.position)],
);

/**
 * Clicks per link per reader: one row per reader who clicked the link (unique clicks), with how
 * many times (total clicks). The unique index makes a second click an update of the same row.
 */
export const linkClicks = sqliteTable(
  'link_clicks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    linkId: integer('link_id')
      .notNull()
      .references(() => campaignLinks.id, { onDelete: 'cascade' }),
    /** Copied from the link so a campaign's clicks are counted without a join. */
    campaignId: integer('campaign_id').notNull(),
    /** Null once the reader is erased; the row still counts as one unique click. */
    subscriberId: integer('subscriber_id').references(() => subscribers.id, { onDelete: 'set null' }),
    clicks: integer('clicks').notNull().default(1),
    firstAt: integer('first_at').notNull(),
    lastAt: integer('last_at').notNull(),
  },
  (t) => [
    uniqueIndex('link_clicks_link_subscriber_unique').on(t.linkId, t.subscriberId),
    // Stats read a campaign's clicks; erasure finds a reader's rows.
    index('link_clicks_campaign_idx').on(t.campaignId),
    // "Has this reader another click in this campaign?": the triggers keeping campaign_counts.clickers.
    index('link_clicks_campaign_subscriber_idx').on(t.campaignId, t.subscriberId),
    index('link_clicks_subscriber_idx').on(t.subscriberId),
  ],
);

export type CampaignLink = typeof campaignLinks.$inferSelect;
