import { toBase64Url } from '../base64url';
import { bytesEqual } from '../constant-time';

const encoder = new TextEncoder();

/**
 * Compares two secrets in constant time by comparing their SHA-256 digests: equal-length inputs
 * whose timing does not depend on where the secrets first differ.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  return bytesEqual(new Uint8Array(da), new Uint8Array(db));
}

/** SHA-256 of a string, base64url: how session secrets and token fingerprints are stored. */
export async function sha256(value: string): Promise<string> {
  return toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value))));
}

export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
