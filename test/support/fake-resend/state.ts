/**
 * What one fake server remembers, and the answer type its handlers return.
 */
import type { ApiError } from './errors';
import type { FaultQueue } from './faults';
import type { IdempotencyStore } from './idempotency';
import type { SlidingWindowLimit } from './rate-limit';
import type { RecordedRequest, SentEmail, FakeDomain } from './types';

export interface FakeState {
  readonly apiKey: string;
  readonly keepBodies: boolean;
  readonly keepEmails: boolean;
  readonly keepRaw: boolean;
  readonly now: () => number;
  readonly limit: SlidingWindowLimit;
  readonly faults: FaultQueue;
  readonly keys: IdempotencyStore;
  emails: SentEmail[];
  /** Every accepted email's recipients, and the number of emails accepted (see `keepEmails`). */
  recipients: Set<string>;
  acceptedCount: number;
  emailsById: Map<string, SentEmail>;
  requests: RecordedRequest[];
  batches: number;
  domains: FakeDomain[];
}

/** An answer, or a connection dropped without one. */
export type Reply =
  | { kind: 'answer'; status: number; body: unknown; headers?: Record<string, string>; outcome: string }
  | { kind: 'drop'; outcome: string };

export const answer = (status: number, body: unknown, outcome: string, headers?: Record<string, string>): Reply => ({
  kind: 'answer',
  status,
  body,
  headers,
  outcome,
});

export const refuse = (error: ApiError, headers?: Record<string, string>): Reply =>
  answer(error.statusCode, error, error.name, headers);
