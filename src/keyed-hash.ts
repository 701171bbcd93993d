/**
 * HMAC-SHA256 with one key, synchronous, the same code on Node and in workerd: the keyed hash
 * behind every reader link (src/tokens.ts), every tracking token (src/tracking/tracking-tokens.ts)
 * and every erasure tombstone (src/subscribers/erasure.ts).
 *
 * Why its own: a send signs three tokens per reader, each over a payload of about 30 bytes, and
 * what costs is the call, not the hash. WebCrypto's `sign` (a promise, copies, a job on another
 * thread) is about 40 µs a call in workerd; node:crypto's `createHmac` builds a Hmac object per
 * call (about 4 µs, and workerd has it only with nodejs_compat); @noble/hashes was tried and costs
 * about 6 µs, mostly its per-call objects. Here the key's inner and outer blocks are hashed once
 * (RFC 2104's precomputation), and a message of up to 55 bytes then costs two SHA-256
 * compressions (FIPS 180-4) on preallocated arrays, about 1 µs. test/keyed-hash.test.ts checks it
 * against WebCrypto and node:crypto for arbitrary keys and messages of every length around the
 * block boundaries. Signing is not secret-dependent in timing here; checking a MAC stays with
 * WebCrypto's constant-time `verify` (tokens.ts) or a constant-time comparison (tracking-tokens.ts).
 */

const encoder = new TextEncoder();

/** HMAC-SHA256(key, UTF-8 bytes of message), 32 bytes. */
export type KeyedHash = (message: string) => Uint8Array;

// prettier-ignore
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const BLOCK = 64;

/** Message schedule, shared: the functions below are synchronous and never re-entered. */
const W = new Int32Array(64);

/** One SHA-256 compression of the 64 bytes at `bytes[at]` into state `H`. */
function compress(H: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) {
    W[i] = (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    W[i] = (s1 + W[i - 7]! + s0 + W[i - 16]!) | 0;
  }
  let a = H[0]!, b = H[1]!, c = H[2]!, d = H[3]!, e = H[4]!, f = H[5]!, g = H[6]!, h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/**
 * Hashes `bytes[0..length)` from state `H` (which has already absorbed `before` bytes) to the end:
 * full blocks, then the padding (0x80, zeros, the total length in bits, big-endian).
 * `bytes` must have room for the padding (up to 72 bytes past `length`); it is overwritten there.
 */
function finish(H: Int32Array, bytes: Uint8Array, length: number, before: number): void {
  let at = 0;
  for (; at + BLOCK <= length; at += BLOCK) compress(H, bytes, at);
  let end = length;
  bytes[end++] = 0x80;
  const padded = end - at <= BLOCK - 8 ? at + BLOCK : at + 2 * BLOCK;
  bytes.fill(0, end, padded - 8);
  const bits = (before + length) * 8;
  // Lengths here are far below 2^53 bits; the high word is what does not fit in 32 bits.
  const high = Math.floor(bits / 0x100000000);
  bytes[padded - 8] = high >>> 24;
  bytes[padded - 7] = high >>> 16;
  bytes[padded - 6] = high >>> 8;
  bytes[padded - 5] = high;
  bytes[padded - 4] = bits >>> 24;
  bytes[padded - 3] = bits >>> 16;
  bytes[padded - 2] = bits >>> 8;
  bytes[padded - 1] = bits;
  for (; at < padded; at += BLOCK) compress(H, bytes, at);
}

function writeState(H: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    const v = H[i]!;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = v >>> 16;
    out[i * 4 + 2] = v >>> 8;
    out[i * 4 + 3] = v;
  }
}

function sha256(message: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(message.length + 2 * BLOCK);
  bytes.set(message);
  const H = IV.slice();
  finish(H, bytes, message.length, 0);
  const out = new Uint8Array(32);
  writeState(H, out);
  return out;
}

export function hmacSha256(key: string | Uint8Array): KeyedHash {
  let k = typeof key === 'string' ? encoder.encode(key) : key;
  if (k.length > BLOCK) k = sha256(k);
  const pad = new Uint8Array(BLOCK);
  const inner = IV.slice();
  const outer = IV.slice();
  pad.set(k);
  for (let i = 0; i < BLOCK; i++) pad[i]! ^= 0x36;
  compress(inner, pad, 0);
  for (let i = 0; i < BLOCK; i++) pad[i]! ^= 0x36 ^ 0x5c;
  compress(outer, pad, 0);
  pad.fill(0);

  const H = new Int32Array(8);
  let bytes = new Uint8Array(256);
  const tail = new Uint8Array(2 * BLOCK);
  return (message) => {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; keep room for the padding.
    if (bytes.length < message.length * 3 + 2 * BLOCK) bytes = new Uint8Array(message.length * 3 + 2 * BLOCK);
    let length = message.length;
    for (let i = 0; i < message.length; i++) {
      const c = message.charCodeAt(i);
      if (c >= 0x80) {
        length = encoder.encodeInto(message, bytes).written;
        break;
      }
      bytes[i] = c;
    }
    H.set(inner);
    finish(H, bytes, length, BLOCK);
    writeState(H, tail);
    H.set(outer);
    finish(H, tail, 32, BLOCK);
    const out = new Uint8Array(32);
    writeState(H, out);
    return out;
  };
}
