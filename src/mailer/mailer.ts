/**
 * The mailer edge: the one interface between Broadside and whatever delivers email.
 * Implementations: ResendMailer (the real `resend` SDK) and OutboxMailer (stores messages in the
 * database, shown at /admin/outbox, nothing leaves the machine).
 *
 * Mailers never throw for provider trouble: like the `resend` SDK they return a result value, so
 * callers must look at `ok`.
 */
import type { BatchItem } from '../db/prepared';
import type { MailText } from './mail-text';

export interface EmailTag {
  /** ASCII letters, numbers, underscores or dashes only, at most 256 characters (Resend's rule). */
  name: string;
  value: string;
}

export interface EmailMessage {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  /** Whole, or in pieces shared by a campaign's readers (see mail-text.ts); the same email either way. */
  html: MailText;
  text: MailText;
  headers?: Record<string, string>;
  tags?: EmailTag[];
}

export type MailErrorKind =
  /** 429 after all retries, or a daily quota */
  | 'rate_limited'
  /** 5xx after all retries */
  | 'server'
  /** no answer: connection refused, reset, timeout */
  | 'network'
  /** 4xx about the request itself (validation): retrying the same request cannot help */
  | 'invalid'
  /** 409: the idempotency key was used with a different payload, or is still being processed */
  | 'conflict'
  /** 401/403: the API key is wrong or lacks permission */
  | 'auth';

export interface MailError {
  kind: MailErrorKind;
  message: string;
  /**
   * Trying the same request again (with the same idempotency key) may succeed: the mailer's one
   * rule, which its own retries and the send path (src/sending/send-chunk.ts) both follow.
   */
  retryable: boolean;
  status?: number;
  /** When the provider said how long to wait (retry-after / ratelimit-reset), in ms. */
  retryAfterMs?: number;
}

/**
 * Whether the provider may have accepted a request that answered with this error: no answer at
 * all, a 5xx, or "the first request with this key is still being handled". The others (429, 401,
 * validation) are refusals before anything was sent.
 */
export const mayHaveBeenAccepted = (e: MailError) => e.kind === 'network' || e.kind === 'server' || e.kind === 'conflict';

export type SendResult =
  | { ok: true; /** provider message ids, in the order of the messages sent */ ids: string[] }
  | { ok: false; error: MailError };

export interface SendOptions {
  /**
   * Same key, same request: the provider treats a retry as the original (Resend keeps keys for
   * 24 hours). Callers make it deterministic from what they send, never random per attempt.
   */
  idempotencyKey?: string;
  /**
   * 'transactional' (confirmation, welcome, tests) goes ahead of 'bulk' (campaign chunks) when
   * both wait for the shared provider rate, so a sign-up is not stuck behind a digest.
   */
  priority?: 'transactional' | 'bulk';
  /** How many times to try before returning the error (default 4 transactional, 1 bulk). */
  attempts?: number;
}

export interface Mailer {
  readonly kind: 'resend' | 'outbox';
  send(message: EmailMessage, options?: SendOptions): Promise<SendResult>;
  /** At most 100 messages, sent as one provider request (Resend's POST /emails/batch). */
  sendBatch(messages: EmailMessage[], options: SendOptions & { idempotencyKey: string }): Promise<SendResult>;
  /**
   * Only a mailer whose provider is `db` itself (the outbox): storing `message` under
   * `idempotencyKey` as an item of the caller's db.batch, so that the caller records the send in
   * the same transaction instead of a round trip of its own. Statements after it in the batch
   * see `changes()` = 1 and `last_insert_rowid()` = the stored row exactly when this item stored
   * it (SQLite's own functions; the statement has no trigger). `id` reads the provider id from
   * the batch's answer, undefined when nothing was stored (the key was used before): then send
   * as usual, which answers a repeat or a conflict. Undefined when this cannot be done here.
   */
  storeInBatch?(db: unknown, message: EmailMessage, idempotencyKey: string): { item: BatchItem; id(result: unknown): string | undefined } | undefined;
}

/** Resend's batch limit. */
export const MAX_BATCH = 100;
