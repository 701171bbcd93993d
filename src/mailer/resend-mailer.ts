/**
 * The Resend mailer: the real `resend` SDK behind Broadside's Mailer interface.
 *
 * The SDK neither throws nor retries, so this class owns the delivery policy:
 * - every request waits for the shared ProviderRate (SEND_RATE, all mail together), transactional
 *   mail ahead of bulk;
 * - 429, 5xx, network errors and "same key still in flight" are retried with exponential backoff
 *   and jitter, waiting at least as long as `retry-after` says;
 * - every attempt of one send carries the same Idempotency-Key, so a retry after a lost answer
 *   cannot mail anyone twice (Resend replays the first answer instead of sending again).
 *
 * A batch's body is built as bytes by resend-batch-body.ts (the SDK's JSON, without stringifying
 * 3 MB per request) and posted through the SDK's own `fetchRequest`, with the headers its
 * `batch.send` sets, so the answer is read and reported exactly as the SDK does for everything
 * else. test/mailer/resend-batch-body.test.ts checks the two requests are the same on the wire.
 */
import { Resend, type CreateEmailOptions } from 'resend';
import type { Logger } from '../deps';
import { MAX_BATCH, type EmailMessage, type MailError, type Mailer, type SendOptions, type SendResult } from './mailer';
import { ProviderRate, type Priority } from './provider-rate';
import { flatText } from './mail-text';
import { resendBatchBody } from './resend-batch-body';
import { classify, rateHeaders, type ProviderError } from './resend-errors';
import { backoffMs, sleep } from '../timing';

export interface ResendMailerOptions {
  apiKey: string;
  /** API base URL; tests and benchmarks point it at a local server. Default: Resend's. */
  baseUrl?: string;
  /** Requests per second, all requests together (SEND_RATE). */
  rate: number;
  logger?: Logger;
  /** Injected for tests; the rate limiter and the backoff use them. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** One attempt's time limit before it counts as a network error (default 30 s). */
  timeoutMs?: number;
  /** First backoff delay (default 500 ms), doubled per attempt up to `maxBackoffMs` (default 30 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
}

type SdkAnswer<T> = { data: T; error: null; headers: Record<string, string> | null } | { data: null; error: ProviderError; headers: Record<string, string> | null };

export class ResendMailer implements Mailer {
  readonly kind = 'resend' as const;
  private readonly resend: Resend;
  private readonly limiter: ProviderRate;
  private readonly configuredRate: number;
  private readonly logger?: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /**
   * Batch body buffers (about 3 MB for 100 digests) whose requests have finished, reused rather
   * than left to the garbage collector: a send makes tens of them a second, and the collector
   * lets tens of MB of finished ones pile up before it frees them (BENCHMARKS.md, issue 14).
   */
  private readonly spareBodies: Uint8Array<ArrayBuffer>[] = [];

  constructor(options: ResendMailerOptions) {
    this.resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.configuredRate = options.rate;
    this.limiter = new ProviderRate({ rate: options.rate, now: this.now, sleep: this.sleep });
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.backoffMs = options.backoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  async send(message: EmailMessage, options: SendOptions = {}): Promise<SendResult> {
    const priority = options.priority ?? 'transactional';
    // Without a caller's key, one made here still keeps this call's retries from sending twice.
    const idempotencyKey = options.idempotencyKey ?? crypto.randomUUID();
    const result = await this.deliver<{ id: string }>(priority, options.attempts ?? defaultAttempts(priority), (signal) =>
      this.resend.emails.send(toResend(message), { idempotencyKey, signal }),
    );
    return result.ok ? { ok: true, ids: [result.data.id] } : result;
  }

  async sendBatch(messages: EmailMessage[], options: SendOptions & { idempotencyKey: string }): Promise<SendResult> {
    if (messages.length === 0) return { ok: true, ids: [] };
    if (messages.length > MAX_BATCH) {
      return { ok: false, error: { kind: 'invalid', retryable: false, message: `A batch holds at most ${MAX_BATCH} messages, got ${messages.length}` } };
    }
    const priority = options.priority ?? 'bulk';
    // Built once: every attempt posts the same bytes.
    const body = resendBatchBody(messages, STREAM_BODIES ? this.spareBodies.pop() : undefined);
    const headers = this.batchHeaders(options.idempotencyKey);
    if (STREAM_BODIES) headers.set('Content-Length', String(body.byteLength));
    try {
      const result = await this.deliver<{ data: { id: string }[] }>(priority, options.attempts ?? defaultAttempts(priority), (signal) =>
        this.resend.fetchRequest<{ data: { id: string }[] }>('/emails/batch', { method: 'POST', ...requestBody(body), headers, signal }) as Promise<
          SdkAnswer<{ data: { id: string }[] }>
        >,
      );
      return result.ok ? { ok: true, ids: result.data.data.map((d) => d.id) } : result;
    } finally {
      // Every attempt has ended, so nothing will read these bytes again: when an answer came
      // before the whole body was written, or a try timed out, Node's fetch destroyed the
      // connection, and its unwritten rest with it. The buffer is reused for a later batch.
      if (STREAM_BODIES && this.spareBodies.length < SPARE_BODIES) this.spareBodies.push(new Uint8Array(body.buffer));
    }
  }

  /** What the SDK's `post` and `batch.send` put on a batch request (resend 6.x). */
  private batchHeaders(idempotencyKey: string): Headers {
    return new Headers({
      Authorization: `Bearer ${this.resend.key}`,
      'User-Agent': this.resend.userAgent,
      'Content-Type': 'application/json',
      'x-batch-validation': 'strict',
      'Idempotency-Key': idempotencyKey,
    });
  }

  /** Tries a request up to `attempts` times; never throws. */
  private async deliver<T>(
    priority: Priority,
    attempts: number,
    request: (signal: AbortSignal) => Promise<SdkAnswer<T>>,
  ): Promise<{ ok: true; data: T } | { ok: false; error: MailError }> {
    for (let attempt = 1; ; attempt++) {
      const slot = await this.limiter.acquire(priority);
      const startedAt = this.now();
      const answer = await this.attempt(request).finally(() => slot.release());
      this.observe(answer.headers, startedAt);
      if (answer.error === null) return { ok: true, data: answer.data };

      const error = classify(answer.error, answer.headers, this.now());
      // A 429 is about the quota every request shares, so all of them wait, retried or not.
      if (error.kind === 'rate_limited' && error.retryAfterMs !== undefined) {
        this.limiter.pauseUntil(this.now() + error.retryAfterMs);
      }
      if (!error.retryable || attempt >= attempts) {
        this.logger?.warn('mail provider request failed', { kind: error.kind, status: error.status, attempt, message: error.message });
        return { ok: false, error };
      }
      const waitMs = Math.max(error.retryAfterMs ?? 0, this.backoff(attempt));
      this.logger?.info('retrying mail provider request', { kind: error.kind, status: error.status, attempt, waitMs });
      await this.sleep(waitMs);
    }
  }

  private async attempt<T>(request: (signal: AbortSignal) => Promise<SdkAnswer<T>>): Promise<SdkAnswer<T>> {
    try {
      return await request(AbortSignal.timeout(this.timeoutMs));
    } catch (err) {
      // The SDK catches fetch failures itself; this covers an abort surfacing some other way.
      return { data: null, error: { statusCode: null, name: 'application_error', message: String(err) }, headers: null };
    }
  }

  private backoff(attempt: number): number {
    return backoffMs(attempt, { baseMs: this.backoffMs, maxMs: this.maxBackoffMs, random: this.random });
  }

  /**
   * Reads the rate-limit headers every answer carries. Our own limiter already keeps to SEND_RATE,
   * so the headers matter for what it cannot see: a lower limit on the account (then we adopt it),
   * or quota used by someone else with the same key (remaining 0 although we did not use it all):
   * then nothing starts before the reset. When we used the window up ourselves, the limiter
   * already waits, and honouring a reset rounded up to whole seconds would halve the throughput.
   * Our use is counted over the window the provider counted, the one before the request's start
   * (`startedAt`), not the one before its answer: at the full rate the provider's window is full
   * of our own requests at almost every answer, and counted from the answer, those that finished
   * in between looked like someone else's, for a second's pause each time (BENCHMARKS.md, issue 14).
   */
  private observe(headers: Record<string, string> | null, startedAt: number): void {
    const { limit, remaining, resetMs } = rateHeaders(headers);
    if (limit !== undefined && limit > 0 && limit < this.limiter.rate) {
      this.logger?.warn('the provider allows fewer requests per second than configured; using its limit', {
        configured: this.configuredRate,
        limit,
      });
      this.limiter.setRate(limit);
    }
    if (remaining === 0 && resetMs !== undefined && this.limiter.usedWithinWindow(startedAt) < (limit ?? Infinity)) {
      this.limiter.pauseUntil(this.now() + resetMs);
    }
  }
}

/**
 * Node's fetch (undici) copies a typed-array body twice before it writes it (once taking it as
 * the body, once more into its byte stream): two 3 MB copies per batch, and their garbage. A
 * stream of the one buffer, with its Content-Length set, is written as it is, and is the same
 * request on the wire: a fixed length, no chunked encoding (test/mailer/resend-batch-body.test.ts
 * compares the headers and bytes with the SDK's). A stream is read once, so each attempt gets a
 * new one over the same bytes. Workers' fetch makes no such copies and is given the bytes.
 */
const STREAM_BODIES = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent !== 'Cloudflare-Workers';

/**
 * Spare batch bodies kept for reuse. Fewer than the send loop's lanes at a high rate (src/sending/lanes.ts):
 * the bodies beyond them are left to the GC rather than held between sends (peak RSS at 12 lanes: BENCHMARKS.md).
 */
const SPARE_BODIES = 4;

function requestBody(bytes: Uint8Array<ArrayBuffer>): { body: BodyInit; duplex?: 'half' } {
  if (!STREAM_BODIES) return { body: bytes };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  // Node requires `duplex: 'half'` for a stream body (the request is sent before the answer is read).
  return { body, duplex: 'half' };
}

const defaultAttempts = (priority: Priority) => (priority === 'transactional' ? 4 : 1);

function toResend(message: EmailMessage): CreateEmailOptions {
  const headers = message.headers && Object.keys(message.headers).length > 0 ? message.headers : undefined;
  const tags = message.tags && message.tags.length > 0 ? message.tags : undefined;
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    html: flatText(message.html),
    text: flatText(message.text),
    headers,
    tags,
  };
}
