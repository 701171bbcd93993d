import { desc, lt } from 'drizzle-orm';
import type { Database } from '../db/database';
import { auditLog } from '../db/schema';

export interface AuditRecord {
  /** An account's email, or "admin token". */
  actor: string;
  /** campaign.sent, campaign.scheduled, campaign.cancelled, subscribers.imported, subscriber.erased… */
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  /** Defaults to the database's clock. */
  at?: number;
}

/** Writes one entry in the audit log. Any module may call it; it never throws on a bad detail. */
export async function recordAudit(db: Database, entry: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    actor: entry.actor.slice(0, 320),
    action: entry.action.slice(0, 100),
    target: entry.target?.slice(0, 300) ?? null,
    detail: entry.detail ?? null,
    ...(entry.at !== undefined ? { createdAt: entry.at } : {}),
  });
}

/** Newest first, a page at a time (keyset on id, so a long log pages as fast as a short one). */
export const listAudit = (db: Database, args: { limit: number; before?: number }) =>
  db
    .select()
    .from(auditLog)
    .where(args.before ? lt(auditLog.id, args.before) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(args.limit);
