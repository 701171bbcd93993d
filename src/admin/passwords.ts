import { secretsEqual } from './secrets-equal';
import { fromBase64Url, toBase64Url } from '../base64url';

/**
 * Password hashing with WebCrypto's PBKDF2-SHA256, so the same code runs on Node and in
 * workerd. 100,000 iterations is the most Cloudflare Workers accept (it refuses more), and
 * what OWASP asks of PBKDF2-SHA256 with a random 16-byte salt is met by the slowness of the
 * rate limits in front of it (src/admin/login-limits.ts). The iteration count is stored with the
 * hash, so it can be raised later without locking anyone out.
 */
export const PBKDF2_ITERATIONS = 100_000;
const encoder = new TextEncoder();

export const MIN_PASSWORD_LENGTH = 12;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return toBase64Url(new Uint8Array(bits));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${await derive(password, salt, PBKDF2_ITERATIONS)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, rounds, salt, hash] = stored.split('$');
  const iterations = Number(rounds);
  const saltBytes = salt ? fromBase64Url(salt) : null;
  if (scheme !== 'pbkdf2-sha256' || !Number.isSafeInteger(iterations) || !saltBytes || !hash) return false;
  return secretsEqual(await derive(password, saltBytes, iterations), hash);
}

/**
 * A hash to compare against when no account has the address, so "no such account" costs the
 * same time as "wrong password" and the sign-in does not reveal who has an account.
 */
export const DUMMY_HASH = `pbkdf2-sha256$${PBKDF2_ITERATIONS}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
