import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import { campaigns, type Campaign, type CampaignStatus } from '../db/schema';

/**
 * The campaign state machine: every way a campaign's status can change, the editor's and the
 * system's, in one table. draft → scheduled → sending → sent, with paused, cancelled and failed
 * on the side. "What can pause a campaign?" is answered here and nowhere else: moveCampaign (or
 * moveCampaignQuery inside a batch) is the only code that writes campaigns.status, and it writes
 * only a move listed here, from one of the statuses the move starts from.
 *
 * Moves into paused, failed or cancelled carry a reason (campaigns.status_reason) in words an
 * editor can act on; every other move clears it.
 */
export const moves = {
  // The editor's (admin API and CLI, src/sending/lifecycle.ts).
  /** Content changes; only drafts. Does not change the status, but is guarded like a move. */
  edit: { from: ['draft'], to: 'draft' },
  schedule: { from: ['draft', 'scheduled'], to: 'scheduled' },
  /** Also the system's, when a scheduled campaign's time comes (src/sending/start-send.ts). */
  start: { from: ['draft', 'scheduled'], to: 'sending' },
  pause: { from: ['scheduled', 'sending'], to: 'paused' },
  /** Resume a campaign whose ledger is written… */
  resumeSending: { from: ['paused'], to: 'sending' },
  /** …or one paused before it started (held by the complaint guard, or paused while scheduled). */
  resumeScheduled: { from: ['paused'], to: 'scheduled' },
  cancel: { from: ['draft', 'scheduled', 'sending', 'paused'], to: 'cancelled' },

  // The system's.
  /** No chunk is left to send (src/sending/chunk-queries.ts). */
  finish: { from: ['sending'], to: 'sent' },
  /** A scheduled campaign that cannot start (no unsubscribe link, …): src/sending/send-loop.ts. */
  failToStart: { from: ['scheduled'], to: 'failed' },
  /** Chunks kept failing for SendPolicy.outageMs (src/sending/send-chunk.ts). */
  pauseForOutage: { from: ['sending'], to: 'paused' },
  /** Resend refused the API key: every chunk would fail the same way (src/sending/send-chunk.ts). */
  pauseForAuth: { from: ['sending'], to: 'paused' },
  /** Resend's daily or monthly quota is used up: no chunk can go before it resets (send-chunk.ts). */
  pauseForQuota: { from: ['sending'], to: 'paused' },
  /**
   * A chunk's outcome is unknown and its idempotency key has expired, so it cannot be re-posted
   * safely (src/sending/send-chunk.ts, docs/sending.md).
   */
  pauseForUnknownOutcome: { from: ['sending'], to: 'paused' },
  /** A send job reached the dead-letter queue (Workers, src/sending/queue-dead-letters.ts). */
  pauseForDeadLetter: { from: ['sending'], to: 'paused' },
  /** Another campaign passed COMPLAINT_THRESHOLD: appeals are held (src/campaigns/complaint-guard.ts). */
  holdForComplaints: { from: ['scheduled', 'sending'], to: 'paused' },
  /** An appeal about to start while a complaint hold is active (src/sending/start-send.ts). */
  holdAtStart: { from: ['draft', 'scheduled'], to: 'paused' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; to: CampaignStatus }>;

export type CampaignMove = keyof typeof moves;

/** Whether `move` may be made from `status`. */
export const canMove = (move: CampaignMove, status: CampaignStatus) => (moves[move].from as readonly CampaignStatus[]).includes(status);

/** What a move may write besides the status (never the status, its reason or updated_at). */
export type MoveValues = Omit<Partial<typeof campaigns.$inferInsert>, 'id' | 'status' | 'statusReason' | 'updatedAt'>;

export interface MoveArgs {
  now: number;
  /** Why, for moves into paused, failed or cancelled; cleared otherwise. */
  reason?: string;
  values?: MoveValues;
}

/** One campaign by id, or every campaign matching a condition (finish, complaint hold). */
export type MoveTarget = number | SQL;

/**
 * The guarded write, as a query (for db.batch): UPDATE campaigns SET status = move.to …
 * WHERE <target> AND status IN (move.from) RETURNING *. A compare-and-set on the current status
 * in one statement, so of two requests or processes making conflicting moves only one applies,
 * on libSQL and D1 alike (neither has interactive transactions we could lean on).
 */
export function moveCampaignQuery(db: Database, move: CampaignMove, target: MoveTarget, args: MoveArgs) {
  const m = moves[move];
  const keepsReason = m.to === 'paused' || m.to === 'failed' || m.to === 'cancelled';
  if (keepsReason && !args.reason) throw new Error(`campaign move ${move} needs a reason`);
  return db
    .update(campaigns)
    .set({ ...args.values, status: m.to, statusReason: keepsReason ? args.reason! : null, updatedAt: args.now })
    .where(and(typeof target === 'number' ? eq(campaigns.id, target) : target, inArray(campaigns.status, [...m.from])))
    .returning();
}

/** Makes `move` on one campaign if its status allows it; null when it did not (anymore). */
export async function moveCampaign(db: Database, id: number, move: CampaignMove, args: MoveArgs): Promise<Campaign | null> {
  const [row] = await moveCampaignQuery(db, move, id, args);
  return row ?? null;
}

/** Makes `move` on every campaign matching `where` whose status allows it; the ones moved. */
export const moveCampaigns = (db: Database, move: CampaignMove, where: SQL, args: MoveArgs): Promise<Campaign[]> =>
  moveCampaignQuery(db, move, where, args);

/**
 * A write that is not a move: `values` on one campaign while its status is one of `statuses`,
 * the status untouched (the site withdrew an article from an unsent digest, src/digests/
 * withdrawn.ts). Here beside the moves so every write of a campaigns row is guarded in one file,
 * and such a change can never land on a campaign that has started meanwhile.
 */
export async function updateCampaignWhile(
  db: Database,
  id: number,
  statuses: readonly CampaignStatus[],
  args: { now: number; values: MoveValues },
): Promise<Campaign | null> {
  const [row] = await db
    .update(campaigns)
    .set({ ...args.values, updatedAt: args.now })
    .where(and(eq(campaigns.id, id), inArray(campaigns.status, [...statuses])))
    .returning();
  return row ?? null;
}
