import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import type { SubscriberStatus } from '../../db/schema';
import type { Subscriber } from '../queries';
import { erasedAmong } from '../erasure';
import { queueMailStatement } from '../../transactional/queries';
import { filledPositions, insertImportedEvents, insertReaders } from './insert-sql';
import { writtenInRun, type WrittenInRun } from './pieces';
import type { ImportRow } from './rows';

/** 'duplicates': an address an earlier piece of the same import already wrote (src/subscribers/import/pieces.ts). */
export type RowOutcome = 'added' | 'updated' | 'unchanged' | 'suppressed' | 'skipped' | 'duplicates';

export interface BatchContext {
  /** The import's one timestamp: every row written by it carries this time. */
  now: number;
  /** Whether the file is a recognised export, whose own "subscribed" carries consent over. */
  recognised: boolean;
  /** ?consent=affirmed: the editor affirms the site holds consent for rows without evidence. */
  affirmed: boolean;
  /** "imported from Mailchimp export members.csv, 2026-11-23" */
  source: string;
  tool: string;
  file: string;
  tombstone: (email: string) => string;
  /** ?confirm=send: queue a confirmation email for every reader this import adds as pending. */
  confirm: boolean;
  /** Added to a row's line in this piece to give its line in the file (kept in its event). */
  lineOffset?: number;
  /**
   * An import in pieces (`now` is then the run's time): the file line this piece's rows start
   * at, which tells a reader written by an earlier piece from one written by an earlier attempt
   * at this piece.
   */
  pieces?: { firstLine: number };
}

const SUPPRESSED: ReadonlySet<SubscriberStatus> = new Set(['unsubscribed', 'bounced', 'complained']);
export const isSuppressed = (s: SubscriberStatus) => SUPPRESSED.has(s);

/**
 * The status a new reader gets. Nobody who left comes back by import; "subscribed" counts as
 * consent only with evidence (a recognised export's own status, or a consent time in the row) or
 * the editor's affirmation; everything else waits for the reader's own confirmation.
 */
export function statusForNew(row: ImportRow, ctx: Pick<BatchContext, 'recognised' | 'affirmed'>) {
  if (row.stated && isSuppressed(row.stated)) return { status: row.stated, evidence: false };
  if (row.stated === 'pending') return { status: 'pending' as const, evidence: false };
  const evidence = (ctx.recognised && row.stated === 'active') || row.consentAt !== null;
  return { status: evidence || ctx.affirmed ? ('active' as const) : ('pending' as const), evidence };
}

type Values = Omit<Subscriber, 'id' | 'createdAt' | 'updatedAt' | 'wantsDigest' | 'wantsAppeals' | 'email' | 'mailbox'>;

/** The consent record of a row that makes its reader active or pending through this import. */
function consentOf(row: ImportRow, ctx: BatchContext, status: SubscriberStatus, evidence: boolean) {
  const affirmedHere = status === 'active' && !evidence;
  return {
    consentAt: row.consentAt ?? (affirmedHere ? ctx.now : null),
    consentIp: row.consentIp,
    consentUserAgent: row.consentUserAgent,
    consentSource: row.consentSource ?? ctx.source,
    consentWording: row.consentWording ?? (affirmedHere ? 'import: consent affirmed by an editor' : 'import'),
    // A pending reader has not confirmed (here); a reader who left keeps the history the file gives.
    confirmedAt: status === 'pending' ? null : row.confirmedAt,
    confirmIp: status === 'pending' ? null : row.confirmIp,
  };
}

/** `line`: the row's line in the file, kept in the reader's "imported" event (src/subscribers/import/pieces.ts reads it). */
type Insert = Values & { email: string; mailbox: string; wantsDigest: boolean; wantsAppeals: boolean; line: number };

/** An insert as the statement in writeBatch reads it: [0] email … [13] wording, null for the usual. */
function insertRow(v: Insert, usual: SubscriberStatus, ctx: BatchContext): unknown[] {
  return [
    v.email,
    v.mailbox === v.email ? null : v.mailbox,
    v.name,
    v.tags.length ? JSON.stringify(v.tags) : null,
    v.consentAt,
    v.consentIp,
    v.confirmedAt,
    v.confirmIp,
    v.status === usual ? null : v.status,
    v.wantsDigest && v.wantsAppeals ? null : +v.wantsDigest | (+v.wantsAppeals << 1),
    v.unsubscribedAt,
    v.consentUserAgent,
    v.consentSource === ctx.source ? null : v.consentSource,
    v.consentWording === 'import' ? null : v.consentWording,
  ];
}

function trimNulls(a: unknown[]): unknown[] {
  let n = a.length;
  while (n > 1 && a[n - 1] === null) n--;
  return n === a.length ? a : a.slice(0, n);
}

/** An update of a reader already on the list: only what an import may change. */
interface Update {
  id: number;
  /** The reader's updated_at as read: the update applies only if nobody changed them since. */
  seen: number;
  name: string | null;
  status: SubscriberStatus;
  tags: string[];
  unsubscribedAt: number | null;
  /** A pending reader made active by the file's consent: their consent record from it. */
  consent?: ReturnType<typeof consentOf>;
  detail: string;
}

interface Planned {
  inserts: Insert[];
  updates: Update[];
  outcomes: { row: ImportRow; outcome: RowOutcome; status?: SubscriberStatus }[];
}

/**
 * What the plan needs of a reader already on the list: what an import may change, and no more
 * (a repeated import reads one of these for every row of the file).
 */
type Existing = Pick<Subscriber, 'id' | 'mailbox' | 'name' | 'status' | 'tags' | 'unsubscribedAt' | 'updatedAt'>;

function plan(rows: ImportRow[], existing: Map<string, Existing>, erased: Set<string>, hashes: string[], ctx: BatchContext, inRun: Map<number, WrittenInRun>): Planned {
  const out: Planned = { inserts: [], updates: [], outcomes: [] };
  const detail = (action: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ action, tool: ctx.tool, file: ctx.file, ...(ctx.affirmed ? { consent: 'affirmed' } : {}), ...extra });
  rows.forEach((row, i) => {
    if (erased.size && erased.has(hashes[i]!)) {
      out.outcomes.push({ row, outcome: 'skipped' });
      return;
    }
    const e = existing.get(row.key);
    if (!e) {
      const { status, evidence } = statusForNew(row, ctx);
      const topics = row.topics ?? ['digest', 'appeals'];
      out.inserts.push({
        email: row.email,
        mailbox: row.key,
        name: row.name,
        status,
        wantsDigest: topics.includes('digest'),
        wantsAppeals: topics.includes('appeals'),
        tags: row.tags,
        ...consentOf(row, ctx, status, evidence),
        unsubscribedAt: isSuppressed(status) ? (row.unsubscribedAt ?? ctx.now) : null,
        line: row.line + (ctx.lineOffset ?? 0),
      });
      out.outcomes.push({ row, outcome: isSuppressed(status) ? 'suppressed' : 'added', status });
      return;
    }
    const written = inRun.get(e.id);
    if (written) {
      if (written.line < ctx.pieces!.firstLine) out.outcomes.push({ row, outcome: 'duplicates' });
      else {
        // This piece sent again: what its first attempt wrote counts as it did then.
        const outcome = written.action === 'added' ? (written.status && isSuppressed(written.status) ? 'suppressed' : 'added') : (written.action as RowOutcome);
        out.outcomes.push({ row, outcome, status: written.status });
      }
      return;
    }
    const next: Update = {
      id: e.id,
      seen: e.updatedAt,
      name: e.name ?? row.name,
      status: e.status,
      tags: row.tags.every((t) => e.tags.includes(t)) ? e.tags : [...new Set([...e.tags, ...row.tags])],
      unsubscribedAt: e.unsubscribedAt,
      detail: '',
    };
    const wanted = statusForNew(row, ctx);
    let outcome: RowOutcome = 'updated';
    if (isSuppressed(e.status)) {
      // Never reactivated by an import; the reader may come back themself, with a confirmation.
      if (!isSuppressed(wanted.status)) outcome = 'suppressed';
    } else if (isSuppressed(wanted.status)) {
      next.status = wanted.status;
      next.unsubscribedAt = row.unsubscribedAt ?? ctx.now;
      outcome = 'suppressed';
    } else if (e.status === 'pending' && wanted.status === 'active') {
      // The file carries the consent this pending reader had not confirmed yet.
      next.status = 'active';
      next.consent = consentOf(row, ctx, 'active', wanted.evidence);
    }
    const changed =
      next.tags.length !== e.tags.length || next.name !== e.name || next.status !== e.status || next.unsubscribedAt !== e.unsubscribedAt;
    if (!changed) {
      out.outcomes.push({ row, outcome: outcome === 'suppressed' && isSuppressed(e.status) ? 'suppressed' : 'unchanged' });
      return;
    }
    next.detail = detail(outcome, { status: next.status, line: row.line + (ctx.lineOffset ?? 0) });
    out.updates.push(next);
    out.outcomes.push({ row, outcome });
  });
  return out;
}

/**
 * Writes one batch of checked rows, set-based: a handful of statements whatever the batch size,
 * each taking the batch as one JSON value (json_each), which also keeps D1 under its limit of 100
 * bound parameters. The statements run as one db.batch (a transaction on libSQL and D1), so a
 * batch is written whole or not at all; an interrupted import can simply be run again.
 */
export async function writeBatch(db: Database, rows: ImportRow[], ctx: BatchContext) {
  const keys = JSON.stringify(rows.map((r) => r.key));
  const [tombstones, found] = await Promise.all([
    // Most lists have no tombstone at all, and then no row needs its keyed hash.
    db.all<{ present: number }>(sql`select exists (select 1 from erased_addresses) as "present"`),
    // By mailbox, as the sign-up form finds a reader: `Ann@x` in a file is the reader `ann@x`.
    // The whole batch's readers as one JSON array in one row: on a repeated import every row of
    // the batch comes back, and the driver's cost is per row and per column.
    db.all<{ r: string | null }>(sql`
      select json_group_array(json_object('id', id, 'mailbox', mailbox, 'name', name, 'status', status, 'tags', json(tags),
        'unsubscribedAt', unsubscribed_at, 'updatedAt', updated_at)) as r
      from subscribers where mailbox in (select value from json_each(${keys}))`),
  ]);
  const hashes = tombstones[0]?.present ? rows.map((r) => ctx.tombstone(r.email)) : [];
  const erased = await erasedAmong(db, hashes);
  const existing = new Map<string, Existing>();
  for (const e of JSON.parse(found[0]?.r ?? '[]') as Existing[]) existing.set(e.mailbox!, e);
  const touched = ctx.pieces ? [...existing.values()].filter((e) => e.updatedAt === ctx.now).map((e) => e.id) : [];
  const inRun = await writtenInRun(db, touched, ctx.now);
  const { inserts, updates, outcomes } = plan(rows, existing, erased, hashes, ctx, inRun);
  const statements = [];
  if (inserts.length) {
    // One short array per reader: SQLite's JSON operators cost per element read, so what is the
    // same for most rows goes once, as a parameter, and a row carries it only when it differs
    // (null, or left off at the end, means "the usual"): the mailbox is usually the address, the
    // status the batch's first, topics both, tags none, the source and wording this import's.
    const usual = inserts[0]!.status;
    const rowsJson = inserts.map((v) => trimNulls(insertRow(v, usual, ctx)));
    statements.push(db.run(insertReaders(JSON.stringify(rowsJson), filledPositions(rowsJson), { status: usual, source: ctx.source, now: ctx.now })));
    // The readers this batch meant to add, by mailbox (unique): a plain array of strings, which
    // json_each reads without parsing anything per row.
    const mailboxes = () => JSON.stringify(inserts.map((v) => v.mailbox));
    // Who this import created: a reader who signed up in the same instant has another created_at.
    const created = () => sql`s.mailbox in (select value from json_each(${mailboxes()})) and s.created_at = ${ctx.now} and s.updated_at = ${ctx.now}`;
    statements.push(
      db.run(insertImportedEvents(inserts, ctx)),
      // Their confirmation emails, in the transactional queue (src/transactional/) in the same
      // transaction as the readers: a crash loses none, and the key (one per reader and import
      // time) makes a repeat of this batch queue none twice. Only readers this import created
      // get one, once, so the sign-up form's per-mailbox daily limit has nothing to guard here.
      ...(ctx.confirm
        ? [
            queueMailStatement(db, {
              kind: 'confirm',
              issuedAt: ctx.now,
              now: ctx.now,
              where: sql`id in (select s.id from subscribers s where ${created()} and s.status = 'pending')`,
            }),
          ]
        : []),
    );
  }
  if (updates.length) {
    const json = JSON.stringify(updates.map((v) => ({ ...v, tags: JSON.stringify(v.tags) })));
    // The consent record changes only with the status (a pending reader made active).
    const consent = (column: string, key: string) =>
      sql.raw(`${column} = case when j.value -> 'consent' is null then ${column} else j.value -> 'consent' ->> '${key}' end`);
    // Each update applies only if the reader is as this import read them (updated_at unchanged),
    // so a reader who unsubscribes meanwhile is not overwritten. The event goes first, with the
    // same guard, so it is written exactly when the update applies.
    statements.push(
      db.run(sql`
        insert into subscriber_events (subscriber_id, type, detail, created_at)
        select s.id, 'imported', j.value ->> 'detail', ${ctx.now}
        from json_each(${json}) j join subscribers s on s.id = j.value ->> 'id' and s.updated_at = j.value ->> 'seen'`),
      db.run(sql`
        update subscribers set name = j.value ->> 'name', status = j.value ->> 'status', tags = j.value ->> 'tags',
          ${consent('consent_at', 'consentAt')}, ${consent('consent_ip', 'consentIp')},
          ${consent('consent_user_agent', 'consentUserAgent')}, ${consent('consent_source', 'consentSource')},
          ${consent('consent_wording', 'consentWording')}, ${consent('confirmed_at', 'confirmedAt')},
          ${consent('confirm_ip', 'confirmIp')}, unsubscribed_at = j.value ->> 'unsubscribedAt', updated_at = ${ctx.now}
        from json_each(${json}) j
        where subscribers.id = j.value ->> 'id' and subscribers.updated_at = j.value ->> 'seen'`),
    );
  }
  if (statements.length) await db.batch(statements as [any, ...any[]]);
  return outcomes;
}

