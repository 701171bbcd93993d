/**
 * Resend's error answers: a JSON body `{ statusCode, name, message }`, which the SDK hands back as
 * `error`. The names are the ones Resend documents.
 */
export type ResendErrorName =
  | 'missing_api_key'
  | 'invalid_api_key'
  | 'validation_error'
  | 'missing_required_field'
  | 'invalid_idempotency_key'
  | 'invalid_idempotent_request'
  | 'concurrent_idempotent_requests'
  | 'rate_limit_exceeded'
  | 'not_found'
  | 'method_not_allowed'
  | 'application_error'
  | 'internal_server_error';

export interface ApiError {
  statusCode: number;
  name: ResendErrorName;
  message: string;
}

export const apiError = (statusCode: number, name: ResendErrorName, message: string): ApiError => ({
  statusCode,
  name,
  message,
});

/** The error an injected or outage status answers with. */
export function statusError(status: number): ApiError {
  if (status === 429) {
    return apiError(429, 'rate_limit_exceeded', 'Too many requests. You can only make a limited number of requests per second.');
  }
  if (status === 500) return apiError(500, 'internal_server_error', 'An unexpected error occurred.');
  return apiError(status, 'application_error', 'The service is unavailable right now, try again later.');
}
