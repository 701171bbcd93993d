/**
 * The outbox mailer (no RESEND_API_KEY): messages are stored in `outbox_messages` and shown at
 * /admin/outbox; nothing leaves the machine. It keeps Resend's contract where a developer would
 * notice the difference: the same idempotency key stores a message once and answers the same ids,
 * the same key with other content is a conflict, and tags and batch sizes follow Resend's rules.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/database';
import { batchItemOf, preparedPerDatabase } from '../db/prepared';
import { outboxMessages } from '../db/schema';
import { flatText } from './mail-text';
import { MAX_BATCH, type EmailMessage, type Mailer, type SendOptions, type SendResult } from './mailer';

type OutboxRow = typeof outboxMessages.$inferSelect;

const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

export const outboxId = (rowId: number) => `outbox_${rowId}`;

export class OutboxMailer implements Mailer {
  readonly kind = 'outbox' as const;

  constructor(private readonly db: Database) {}

  send(message: EmailMessage, options: SendOptions = {}): Promise<SendResult> {
    return this.store([message], options.idempotencyKey);
  }

  sendBatch(messages: EmailMessage[], options: SendOptions & { idempotencyKey: string }): Promise<SendResult> {
    if (messages.length > MAX_BATCH) {
      return Promise.resolve(invalid(`A batch holds at most ${MAX_BATCH} messages, got ${messages.length}`));
    }
    return this.store(messages, options.idempotencyKey);
  }

  storeInBatch(db: unknown, message: EmailMessage, idempotencyKey: string) {
    if (db !== this.db || badTagOf([message])) return undefined;
    const row = toRow(message);
    return {
      item: insertOnceItem(this.db)({ ...row, headers: JSON.stringify(row.headers), tags: JSON.stringify(row.tags), key: idempotencyKey, index: 0 }),
      id: (result: unknown) => {
        const [stored] = result as { id: number }[];
        return stored && outboxId(stored.id);
      },
    };
  }

  private async store(messages: EmailMessage[], key: string | undefined): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, ids: [] };
    const badTag = badTagOf(messages);
    if (badTag) return invalid(`Tag ${JSON.stringify(badTag)}: only ASCII letters, numbers, underscores or dashes, at most 256`);
    try {
      return key === undefined ? await this.insert(messages) : await this.insertOnce(messages, key);
    } catch (err) {
      // The database is this mailer's provider: its failure is a send failure, not a crash.
      return { ok: false, error: { kind: 'server', retryable: true, message: `outbox: ${String(err)}` } };
    }
  }

  private async insert(messages: EmailMessage[]): Promise<SendResult> {
    // One statement per row keeps each under D1's limit of 100 bound parameters.
    const [first, ...rest] = messages.map((m) =>
      this.db.insert(outboxMessages).values(toRow(m)).returning({ id: outboxMessages.id }),
    );
    const results = (await this.db.batch([first!, ...rest])) as { id: number }[][];
    return { ok: true, ids: results.map((rows) => outboxId(rows[0]!.id)) };
  }

  private async insertOnce(messages: EmailMessage[], key: string): Promise<SendResult> {
    // The table has no unique index on idempotency_key (a batch stores several rows under one
    // key), so "only once" is enforced in SQL: row i is inserted only while exactly i rows carry
    // the key. db.batch runs the statements as one transaction, so a concurrent or repeated send
    // with the same key finds all rows already there and inserts nothing.
    const insert = insertOnceItem(this.db);
    const inserted = (await this.db.batch(
      messages.map((m, i) => {
        const row = toRow(m);
        return insert({ ...row, headers: JSON.stringify(row.headers), tags: JSON.stringify(row.tags), key, index: i });
      }),
    )) as { id: number }[][];
    // Every row is this call's own (the key had none before): they hold exactly these messages,
    // so there is nothing to read back. Otherwise the key was used before: a repeat answers the
    // stored ids, other content is a conflict.
    if (inserted.every((rows) => rows.length === 1)) return { ok: true, ids: inserted.map((rows) => outboxId(rows[0]!.id)) };
    const stored = await this.db
      .select()
      .from(outboxMessages)
      .where(eq(outboxMessages.idempotencyKey, key))
      .orderBy(asc(outboxMessages.id));
    if (stored.length !== messages.length || stored.some((row, i) => !sameContent(row, messages[i]!))) {
      return {
        ok: false,
        error: { kind: 'conflict', status: 409, retryable: false, message: `Idempotency key ${JSON.stringify(key)} was already used for other messages` },
      };
    }
    return { ok: true, ids: stored.map((row) => outboxId(row.id)) };
  }
}

const p = sql.placeholder;

/**
 * One message of insertOnce, built once (src/db/prepared.ts): every sign-up's confirmation is
 * stored through it. Its id comes back when it was inserted, nothing when the key already held
 * `index` rows' worth or more.
 */
const insertOnceItem = preparedPerDatabase((db) =>
  batchItemOf(
    db.all(sql`
      insert into outbox_messages ("from", "to", subject, html, text, headers, tags, idempotency_key)
      select ${p('from')}, ${p('to')}, ${p('subject')}, ${p('html')}, ${p('text')}, ${p('headers')}, ${p('tags')}, ${p('key')}
      where (select count(*) from outbox_messages where idempotency_key = ${p('key')}) = ${p('index')}
      returning id`),
  ),
);

/** The first tag Resend would refuse, if any. */
const badTagOf = (messages: EmailMessage[]) =>
  messages.flatMap((m) => m.tags ?? []).find((t) => !TAG_PART.test(t.name) || !TAG_PART.test(t.value));

const invalid = (message: string): SendResult => ({ ok: false, error: { kind: 'invalid', status: 422, retryable: false, message } });

/** The table has no reply_to column: the reply address is kept as the header it becomes. */
function toRow(m: EmailMessage) {
  const headers = { ...m.headers };
  if (m.replyTo && !Object.keys(headers).some((h) => h.toLowerCase() === 'reply-to')) headers['Reply-To'] = m.replyTo;
  return {
    from: m.from,
    to: m.to,
    subject: m.subject,
    html: flatText(m.html),
    text: flatText(m.text),
    headers,
    tags: m.tags ?? [],
  };
}

function sameContent(row: OutboxRow, message: EmailMessage): boolean {
  const want = toRow(message);
  return (
    row.from === want.from &&
    row.to === want.to &&
    row.subject === want.subject &&
    row.html === want.html &&
    row.text === want.text &&
    JSON.stringify(row.headers) === JSON.stringify(want.headers) &&
    JSON.stringify(row.tags) === JSON.stringify(want.tags)
  );
}
