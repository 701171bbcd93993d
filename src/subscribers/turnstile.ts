import * as z from 'zod';
import type { Config } from '../config';
import { AppError } from '../errors';

/** The form field the Turnstile widget fills in. */
export const TURNSTILE_FIELD = 'cf-turnstile-response';

const answer = z.object({ success: z.boolean(), 'error-codes': z.array(z.string()).optional() });

/**
 * Checks a sign-up's Turnstile token with Cloudflare's siteverify (only when TURNSTILE_* is
 * configured). Fails closed: a missing or refused token is a 400 the reader can act on, and a
 * verification service that cannot be reached is a 503 rather than a silent pass.
 */
export async function checkTurnstile(
  config: Pick<Config, 'turnstile'>,
  fetcher: typeof fetch,
  token: unknown,
  ip: string | undefined,
): Promise<void> {
  const turnstile = config.turnstile;
  if (!turnstile) return;
  if (typeof token !== 'string' || token.length === 0 || token.length > 2048) {
    throw new AppError('bad_request', 'Please complete the check that you are not a robot, then try again.', { field: TURNSTILE_FIELD });
  }
  const body = new URLSearchParams({ secret: turnstile.secret, response: token, ...(ip ? { remoteip: ip } : {}) });
  let parsed: z.infer<typeof answer>;
  try {
    const res = await fetcher(turnstile.verifyUrl, { method: 'POST', body, signal: AbortSignal.timeout(5000) });
    parsed = answer.parse(await res.json());
  } catch {
    throw new AppError('unavailable', 'We could not check the sign-up form just now. Please try again in a minute.');
  }
  if (!parsed.success) {
    throw new AppError('bad_request', 'The check that you are not a robot did not pass. Please try again.', { field: TURNSTILE_FIELD });
  }
}
