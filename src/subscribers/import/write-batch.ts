import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import type { SubscriberStatus } from '../../db/schema';
import type { Subscriber } from '../queries';
import { erasedAmong } from '../erasure';
import { mailboxKey } from '../mailbox';
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

interface Planned {
  inserts: (Values & { email: string; mailbox: string; wantsDigest: boolean; wantsAppeals: boolean; detail: string })[];
  updates: (Values & { id: number; seen: number; detail: string })[];
  outcomes: { row: ImportRow; outcome: RowOutcome; status?: SubscriberStatus }[];
}

/** What the plan needs of a reader already on the list. */
type Existing = Values & Pick<Subscriber, 'id' | 'email' | 'mailbox' | 'updatedAt'>;

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
        detail: detail('added', { status, line: row.line + (ctx.lineOffset ?? 0) }),
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
    const next: Values = {
      name: e.name ?? row.name,
      status: e.status,
      tags: [...new Set([...e.tags, ...row.tags])],
      consentAt: e.consentAt,
      consentIp: e.consentIp,
      consentUserAgent: e.consentUserAgent,
      consentSource: e.consentSource,
      consentWording: e.consentWording,
      confirmedAt: e.confirmedAt,
      confirmIp: e.confirmIp,
      unsubscribedAt: e.unsubscribedAt,
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
      Object.assign(next, consentOf(row, ctx, 'active', wanted.evidence));
    }
    const changed =
      next.tags.length !== e.tags.length || (Object.keys(next) as (keyof Values)[]).some((k) => k !== 'tags' && next[k] !== e[k]);
    if (!changed) {
      out.outcomes.push({ row, outcome: outcome === 'suppressed' && isSuppressed(e.status) ? 'suppressed' : 'unchanged' });
      return;
    }
    out.updates.push({ ...next, id: e.id, seen: e.updatedAt, detail: detail(outcome, { status: next.status, line: row.line + (ctx.lineOffset ?? 0) }) });
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
    // One JSON value per reader rather than a column each: on a repeated import every row of
    // the batch comes back, and the driver's cost is per column.
    db.all<{ r: string }>(sql`
      select json_object('id', id, 'email', email, 'mailbox', mailbox, 'name', name, 'status', status, 'tags', json(tags),
        'consentAt', consent_at, 'consentIp', consent_ip, 'consentUserAgent', consent_user_agent,
        'consentSource', consent_source, 'consentWording', consent_wording, 'confirmedAt', confirmed_at,
        'confirmIp', confirm_ip, 'unsubscribedAt', unsubscribed_at, 'updatedAt', updated_at) as r
      from subscribers where mailbox in (select value from json_each(${keys}))`),
  ]);
  const hashes = tombstones[0]?.present ? rows.map((r) => ctx.tombstone(r.email)) : [];
  const erased = await erasedAmong(db, hashes);
  const existing = new Map<string, Existing>();
  for (const { r } of found) {
    const e = JSON.parse(r) as Existing;
    existing.set(e.mailbox ?? mailboxKey(e.email), e);
  }
  const touched = ctx.pieces ? [...existing.values()].filter((e) => e.updatedAt === ctx.now).map((e) => e.id) : [];
  const inRun = await writtenInRun(db, touched, ctx.now);
  const { inserts, updates, outcomes } = plan(rows, existing, erased, hashes, ctx, inRun);
  const statements = [];
  if (inserts.length) {
    // One array per reader, in the columns' order: SQLite reads an array element faster than a
    // member, and the JSON is a third smaller. The source and wording repeat on every row, so
    // they go once, as parameters, and a row carries them only when its file gave its own.
    const json = JSON.stringify(
      inserts.map((v) => [
        v.email,
        v.mailbox,
        v.name,
        v.status,
        +v.wantsDigest,
        +v.wantsAppeals,
        JSON.stringify(v.tags),
        v.consentAt,
        v.consentIp,
        v.consentUserAgent,
        v.consentSource === ctx.source ? null : v.consentSource,
        v.consentWording,
        v.confirmedAt,
        v.confirmIp,
        v.unsubscribedAt,
        v.detail,
      ]),
    );
    // "where true": SQLite needs it to tell INSERT … SELECT … ON CONFLICT from a join's ON.
    statements.push(
      db.run(sql`
        insert into subscribers (email, mailbox, name, status, wants_digest, wants_appeals, tags, consent_at, consent_ip,
          consent_user_agent, consent_source, consent_wording, confirmed_at, confirm_ip, unsubscribed_at, created_at, updated_at)
        select j.value ->> '$[0]', j.value ->> '$[1]', j.value ->> '$[2]', j.value ->> '$[3]', j.value ->> '$[4]', j.value ->> '$[5]',
          j.value ->> '$[6]', j.value ->> '$[7]', j.value ->> '$[8]', j.value ->> '$[9]',
          coalesce(j.value ->> '$[10]', ${ctx.source}), j.value ->> '$[11]', j.value ->> '$[12]', j.value ->> '$[13]',
          j.value ->> '$[14]', ${ctx.now}, ${ctx.now}
        from json_each(${json}) j where true
        on conflict do nothing`),
      // The history: one "imported" event per reader this import created (a reader who signed up
      // in the same instant has another created_at and gets none).
      db.run(sql`
        insert into subscriber_events (subscriber_id, type, detail, created_at)
        select s.id, 'imported', j.value ->> '$[15]', ${ctx.now}
        from json_each(${json}) j join subscribers s on s.email = j.value ->> '$[0]'
        where s.created_at = ${ctx.now} and s.updated_at = ${ctx.now}`),
      // Their confirmation emails, in the transactional queue (src/transactional/) in the same
      // transaction as the readers: a crash loses none, and the key (one per reader and import
      // time) makes a repeat of this batch queue none twice. Only readers this import created
      // get one, once, so the sign-up form's per-mailbox daily limit has nothing to guard here.
      ...(ctx.confirm
        ? [
            db.run(sql`
              insert into transactional_mail (subscriber_id, kind, issued_at, idempotency_key, status, attempts, not_before, created_at)
              select s.id, 'confirm', ${ctx.now}, 'confirm-' || s.id || '-' || ${ctx.now}, 'pending', 0, ${ctx.now}, ${ctx.now}
              from json_each(${json}) j join subscribers s on s.email = j.value ->> '$[0]'
              where s.created_at = ${ctx.now} and s.updated_at = ${ctx.now} and s.status = 'pending'
              on conflict (idempotency_key) do nothing`),
          ]
        : []),
    );
  }
  if (updates.length) {
    const json = JSON.stringify(updates.map((v) => ({ ...v, tags: JSON.stringify(v.tags) })));
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
          consent_at = j.value ->> 'consentAt', consent_ip = j.value ->> 'consentIp',
          consent_user_agent = j.value ->> 'consentUserAgent', consent_source = j.value ->> 'consentSource',
          consent_wording = j.value ->> 'consentWording', confirmed_at = j.value ->> 'confirmedAt',
          confirm_ip = j.value ->> 'confirmIp', unsubscribed_at = j.value ->> 'unsubscribedAt', updated_at = ${ctx.now}
        from json_each(${json}) j
        where subscribers.id = j.value ->> 'id' and subscribers.updated_at = j.value ->> 'seen'`),
    );
  }
  if (statements.length) await db.batch(statements as [any, ...any[]]);
  return outcomes;
}

