import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 with one key, synchronous, the same code on Node and in workerd (node:crypto, which
 * workerd provides with the nodejs_compat flag in wrangler.toml): the keyed hash behind every
 * reader link (src/tokens.ts), every tracking token (src/tracking/tracking-tokens.ts) and every
 * erasure tombstone (src/subscribers/erasure.ts).
 *
 * Why synchronous: a send signs three tokens per reader, each over about 30 bytes, and what costs
 * is the call, not the hash. WebCrypto's `sign` (a promise, copies, a job on another thread) is
 * about 40 µs a call in workerd; `createHmac` is about 4–8 µs. A hand-written SHA-256 with the
 * key's inner and outer blocks precomputed measured about 1.7 µs, and @noble/hashes about 6 µs;
 * we keep the platform's implementation rather than maintain cryptography of our own
 * (BENCHMARKS.md records the figures). Checking a MAC stays constant-time: WebCrypto's `verify`
 * (tokens.ts) or a constant-time comparison (tracking-tokens.ts).
 */

/** HMAC-SHA256(key, UTF-8 bytes of message), 32 bytes. */
export type KeyedHash = (message: string) => Uint8Array;

export function hmacSha256(key: string | Uint8Array): KeyedHash {
  return (message) => createHmac('sha256', key).update(message).digest();
}
