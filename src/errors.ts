import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type of Broadside. Domain code throws it (or returns values); `onError` in
 * src/http/on-error.ts turns it into a JSON answer or an HTML page. The codes are a closed list so
 * that every status a client can see is decided here.
 */
const statusOf = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof statusOf;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  /** Extra fields for the JSON body, e.g. which field was wrong. */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf[code];
    this.details = details;
  }
}
