import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { campaigns, deliveries, type Campaign, type CampaignStatus } from '../db/schema';

export type NewCampaign = typeof campaigns.$inferInsert;

export const getCampaign = (db: Database, id: number) => db.select().from(campaigns).where(eq(campaigns.id, id)).get();

export const listCampaigns = (db: Database, args: { limit: number; offset: number; status?: CampaignStatus }) =>
  db
    .select()
    .from(campaigns)
    .where(args.status ? eq(campaigns.status, args.status) : undefined)
    .orderBy(desc(campaigns.id))
    .limit(args.limit)
    .offset(args.offset);

export async function insertCampaign(db: Database, values: NewCampaign): Promise<Campaign> {
  const [row] = await db.insert(campaigns).values(values).returning();
  return row!;
}

export interface DeliveryCounts {
  audience: number;
  queued: number;
  sent: number;
  failed: number;
  skipped: number;
}

/** Progress from the ledger; one indexed GROUP BY over the campaign's rows. */
export async function deliveryCounts(db: Database, campaignId: number): Promise<DeliveryCounts> {
  const rows = await db
    .select({ status: deliveries.status, n: sql<number>`count(*)` })
    .from(deliveries)
    .where(eq(deliveries.campaignId, campaignId))
    .groupBy(deliveries.status);
  const counts: DeliveryCounts = { audience: 0, queued: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    counts.audience += Number(r.n);
  }
  return counts;
}
