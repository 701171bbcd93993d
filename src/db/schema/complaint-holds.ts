import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { campaigns } from './campaigns';

/**
 * The complaint guard's record: campaign X drew complaints above the threshold, so appeals were
 * paused. One row per campaign, and the row is the "already acted on" mark: once an editor has
 * resumed the held appeals, the same campaign's complaints (old or late-arriving) do not pause
 * them again. Another campaign crossing the line does.
 */
export const complaintHolds = sqliteTable('complaint_holds', {
  campaignId: integer('campaign_id')
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  complaints: integer('complaints').notNull(),
  /** The denominator used: delivered, or sent when no delivery events had arrived. */
  base: integer('base').notNull(),
  threshold: real('threshold').notNull(),
  /** Random per attempt: lets the pause in the same batch apply only for the attempt that won. */
  token: text('token').notNull(),
  heldAt: integer('held_at').notNull(),
  /**
   * When an editor released the hold by resuming a held appeal. Until then every appeal that is
   * started is paused at once ("further appeals are held"), not only those running at the time.
   */
  releasedAt: integer('released_at'),
});
