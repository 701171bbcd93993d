import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors';

/**
 * Refuses a request body past `maxSize` bytes with a 413 that says what the limit is for, before
 * the body is read (Hono's bodyLimit counts the stream, so a lying Content-Length does not help).
 * The one way routes limit their bodies, so the answer has one shape everywhere.
 */
export function limitBody(maxSize: number, message = 'The request body is too large.') {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError('payload_too_large', message);
    },
  });
}
