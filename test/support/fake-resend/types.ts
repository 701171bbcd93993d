/**
 * Public types of the fake Resend server: what tests configure, inject and read back.
 */

export interface FakeResendOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** The only API key accepted (`Authorization: Bearer …`). Default `re_test_key`. */
  apiKey?: string;
  /**
   * Requests per second for all requests together, like Resend's team-wide limit (default 2, as
   * Resend's). `Infinity` turns the limiter off.
   */
  rate?: number;
  /** How long an idempotency key is remembered; Resend keeps them 24 hours. */
  idempotencyTtlMs?: number;
  /** Clock in ms, for the rate window and records. */
  now?: () => number;
  /**
   * Keep each email's html and text (default true). Benchmarks of 100,000 emails turn it off so
   * the server's own memory stays small.
   */
  keepBodies?: boolean;
  /**
   * Keep a record of each accepted email (default true): `emails()` and GET /emails/:id. A
   * benchmark of 1,000,000 emails turns it off and reads `accepted()` instead: every email is
   * still checked and answered exactly as with records kept, but the server's heap stays flat
   * (a million records made its garbage collector the largest cost of each request).
   */
  keepEmails?: boolean;
  /** Keep every request's headers and body bytes exactly as they arrived (`RecordedRequest.raw`). */
  keepRaw?: boolean;
  /** The domains GET /domains lists (default: news.example.org, verified). */
  domains?: FakeDomain[];
}

/** A sending domain as GET /domains lists it. */
export interface FakeDomain {
  name: string;
  status: 'pending' | 'verified' | 'failed' | 'not_started' | 'partially_verified' | 'partially_failed';
  region?: string;
}

/** One email as Resend accepted it (an idempotent replay does not add another). */
export interface SentEmail {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  scheduledAt?: string;
  idempotencyKey?: string;
  /** Set when the email came in through POST /emails/batch; shared by the batch's emails. */
  batchId?: string;
  /** Position in its batch. */
  batchIndex?: number;
  /** Id of the request that created it (see `requests()`). */
  requestId: number;
  createdAt: number;
}

/** Every HTTP request the server saw, including refused and faulted ones. */
export interface RecordedRequest {
  id: number;
  method: string;
  path: string;
  /** Arrival time: what a rate assertion measures. */
  at: number;
  idempotencyKey?: string;
  /** The answer's status; `undefined` when the connection was dropped or is still open. */
  status?: number;
  /** Why it ended as it did: `accepted`, `replayed`, an error name, or a fault's kind. */
  outcome?: string;
  /** How many emails the request body held (1 for POST /emails). */
  emailCount?: number;
  /** With `keepRaw`: the headers (names in lower case) and the body's bytes as received. */
  raw?: { headers: Record<string, string | string[] | undefined>; body: Buffer };
}

/**
 * A fault answers the next sending requests (POST /emails, POST /emails/batch) in place of the
 * normal handling. Queued faults are used in order, one per request; `times` queues that many.
 */
export type Fault =
  /** An error answer. 429 gets `retry-after` (seconds, may be fractional to keep tests fast). */
  | { kind: 'status'; status: 429 | 500 | 502 | 503; retryAfter?: number; times?: number }
  /**
   * A slow answer: the request is handled after `ms`. Its idempotency key is in flight meanwhile,
   * so a retry that gives up waiting meets 409 concurrent_idempotent_requests.
   */
  | { kind: 'delay'; ms: number; times?: number }
  /**
   * Like a delay, but the request is held until a retry with its idempotency key has been
   * answered 409 concurrent_idempotent_requests (at most 30 s): that case without a race.
   */
  | { kind: 'hold'; times?: number }
  /**
   * The socket is destroyed with no answer. `before` handling (nothing was sent) or `after`
   * (the emails were accepted but the client never learns it: only an idempotency key saves it
   * from sending twice).
   */
  | { kind: 'disconnect'; when?: 'before' | 'after'; times?: number }
  /** Starts at once: for `ms`, every sending request is answered 503 (or dropped). */
  | { kind: 'outage'; ms: number; as?: 503 | 'disconnect' };

export interface FakeResend {
  /** Base URL for `new Resend(apiKey, { baseUrl })` or RESEND_BASE_URL. */
  readonly url: string;
  readonly apiKey: string;
  stop(): Promise<void>;
  /** Accepted emails in order of acceptance (copies). */
  emails(): SentEmail[];
  /** Every request in order of arrival (copies). */
  requests(): RecordedRequest[];
  /** Emails accepted, and how many distinct recipients they went to (kept with or without `keepEmails`). */
  accepted(): { emails: number; recipients: number };
  inject(fault: Fault): void;
  /** Drops queued faults and ends an outage, keeping emails, requests and idempotency keys. */
  clearFaults(): void;
  /** Changes the allowed requests per second from now on. */
  setRate(rate: number): void;
  /** Forgets emails, requests, idempotency keys, faults and the rate window. */
  reset(): void;
  /** Replaces the domains GET /domains lists. */
  setDomains(domains: FakeDomain[]): void;
}
