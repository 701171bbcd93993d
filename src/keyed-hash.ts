import { HMAC } from 'fast-sha256';

/**
 * HMAC-SHA256 with one key, synchronous, the same code on Node and in workerd: the keyed hash
 * behind every reader link (src/tokens.ts), every tracking token (src/tracking/tracking-tokens.ts)
 * and every erasure tombstone (src/subscribers/erasure.ts).
 *
 * Why synchronous and why this library: a send signs two tokens per reader (one for the
 * unsubscribe and preferences links, one for tracking), each over about 30 bytes, so what costs
 * is the call, not the hash. WebCrypto's `sign` (a promise, copies, a job on
 * another thread) is tens of µs a call; node:crypto's `createHmac` builds a fresh HMAC object and
 * hashes the key's two padded blocks again on every call, and in workerd it is slower still than
 * WebCrypto. fast-sha256 (a small, widely used, pure-JS SHA-256 and HMAC) keeps the key's inner and
 * outer state and restores it per message, so a token costs the two compressions of its own bytes,
 * and the JIT runs the same code on both runtimes. BENCHMARKS.md has the figures; test/keyed-hash
 * checks the result against WebCrypto and node:crypto. Checking a MAC stays constant-time:
 * WebCrypto's `verify` (tokens.ts) or a constant-time comparison (tracking-tokens.ts).
 */

/**
 * HMAC-SHA256(key, message), 32 bytes: a string is hashed as its UTF-8 bytes. Bytes are for the
 * send's per-reader signers (src/tokens.ts `readerSigner`), which write their few ASCII bytes
 * themselves rather than pay for TextEncoder.
 */
export type KeyedHash = (message: string | Uint8Array) => Uint8Array;

const encoder = new TextEncoder();
/** Messages are short (tokens, addresses); a longer one is encoded on its own. */
const scratch = new Uint8Array(1024);

export function hmacSha256(key: string | Uint8Array): KeyedHash {
  const keyed = new HMAC(typeof key === 'string' ? encoder.encode(key) : key);
  return (message) => {
    // Calls are synchronous, so one keyed instance and one scratch buffer serve them all.
    keyed.reset();
    if (typeof message !== 'string') keyed.update(message);
    else {
      const { read, written } = encoder.encodeInto(message, scratch);
      keyed.update(read === message.length ? scratch.subarray(0, written) : encoder.encode(message));
    }
    const mac = new Uint8Array(32);
    keyed.finish(mac);
    return mac;
  };
}
