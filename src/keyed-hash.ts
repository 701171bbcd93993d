/**
 * HMAC-SHA256 with one key, synchronous, the same code on Node and in workerd: the keyed hash
 * behind every reader link (src/tokens.ts), every tracking token (src/tracking/tracking-tokens.ts)
 * and every erasure tombstone (src/subscribers/erasure.ts).
 *
 * Why synchronous: a send signs one MAC per reader (src/tokens.ts `readerPair`), over about 30
 * bytes, so what costs is the call, not the hash. WebCrypto's `sign` (a promise, copies, a job on
 * another thread) is tens of µs a call; node:crypto's `createHmac` builds a fresh HMAC object and hashes the key's
 * two padded blocks again on every call, and in workerd it is slower still than WebCrypto.
 *
 * Why its own SHA-256 (FIPS 180-4, written here in ~60 lines) rather than fast-sha256, which it
 * replaced: HMAC(K, m) = H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)), and with the key's inner and outer
 * midstates computed once, a token of up to 55 bytes costs exactly two compressions. fast-sha256
 * kept the midstates too, but per call it copied state in and out of its Hash objects, padded
 * through a byte buffer, turned the inner digest into bytes and back into words, and read its
 * round constants from a Uint32Array (values above 2³¹ leave V8's integer representation): 2.5 µs
 * a MAC on Node 20, where the two compressions alone are about 1 µs. Here the outer block is built
 * from the inner digest's words directly (its padding is a constant), the message's bytes are
 * read into words once, and the constants are int32. test/keyed-hash.test.ts checks the result
 * against WebCrypto and node:crypto for arbitrary keys and every message length around the block
 * and padding limits. Checking a MAC stays constant-time: WebCrypto's `verify` (tokens.ts) or a
 * constant-time comparison (tracking-tokens.ts).
 */

/**
 * HMAC-SHA256(key, message), 32 bytes: a string is hashed as its UTF-8 bytes. Bytes are for the
 * send's per-reader signers (src/tokens.ts `readerSigner`), which write their few ASCII bytes
 * themselves rather than pay for TextEncoder, into a buffer they reuse: `length` hashes only its
 * first bytes. `out` (32 bytes) receives the MAC instead of a new array.
 */
export type KeyedHash = (message: string | Uint8Array, length?: number, out?: Uint8Array) => Uint8Array;

const encoder = new TextEncoder();
/** Messages are short (tokens, addresses); a longer one is encoded on its own. */
const scratch = new Uint8Array(1024);

// prettier-ignore
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

/** The message schedule; w[0..15] hold the block. Calls are synchronous, so one serves all. */
const w = new Int32Array(64);

/** One SHA-256 compression of the block in w[0..15] into `from`'s state, written to `to`. */
function compress(from: Int32Array, to: Int32Array) {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 2]!;
    const y = w[i - 15]!;
    const s1 = ((x >>> 17) | (x << 15)) ^ ((x >>> 19) | (x << 13)) ^ (x >>> 10);
    const s0 = ((y >>> 7) | (y << 25)) ^ ((y >>> 18) | (y << 14)) ^ (y >>> 3);
    w[i] = (s1 + w[i - 7]! + s0 + w[i - 16]!) | 0;
  }
  let a = from[0]!, b = from[1]!, c = from[2]!, d = from[3]!, e = from[4]!, f = from[5]!, g = from[6]!, h = from[7]!;
  let t = 0;
  // Eight rounds a pass, each round's working variables named for the role they have in it
  // (round r's a is round r+1's b, …, FIPS 180-4 §6.2.2 step 3) rather than moved along eight
  // assignments a round: about 15% less per compression on Node 20. Each round is t = T1,
  // d += T1 (the new e), h = T1 + T2 (the new a).
  for (let i = 0; i < 64; i += 8) {
    t = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i + 0]! + w[i + 0]!) | 0;
    d = (d + t) | 0;
    h = (t + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c)))) | 0;
    t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + ((d & e) ^ (~d & f)) + K[i + 1]! + w[i + 1]!) | 0;
    c = (c + t) | 0;
    g = (t + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) ^ (h & b) ^ (a & b)))) | 0;
    t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + ((c & d) ^ (~c & e)) + K[i + 2]! + w[i + 2]!) | 0;
    b = (b + t) | 0;
    f = (t + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) ^ (g & a) ^ (h & a)))) | 0;
    t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + ((b & c) ^ (~b & d)) + K[i + 3]! + w[i + 3]!) | 0;
    a = (a + t) | 0;
    e = (t + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) ^ (f & h) ^ (g & h)))) | 0;
    t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + ((a & b) ^ (~a & c)) + K[i + 4]! + w[i + 4]!) | 0;
    h = (h + t) | 0;
    d = (t + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) ^ (e & g) ^ (f & g)))) | 0;
    t = (c + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + ((h & a) ^ (~h & b)) + K[i + 5]! + w[i + 5]!) | 0;
    g = (g + t) | 0;
    c = (t + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) ^ (d & f) ^ (e & f)))) | 0;
    t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + ((g & h) ^ (~g & a)) + K[i + 6]! + w[i + 6]!) | 0;
    f = (f + t) | 0;
    b = (t + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) ^ (c & e) ^ (d & e)))) | 0;
    t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + ((f & g) ^ (~f & h)) + K[i + 7]! + w[i + 7]!) | 0;
    e = (e + t) | 0;
    a = (t + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) ^ (b & d) ^ (c & d)))) | 0;
  }
  to[0] = (from[0]! + a) | 0;
  to[1] = (from[1]! + b) | 0;
  to[2] = (from[2]! + c) | 0;
  to[3] = (from[3]! + d) | 0;
  to[4] = (from[4]! + e) | 0;
  to[5] = (from[5]! + f) | 0;
  to[6] = (from[6]! + g) | 0;
  to[7] = (from[7]! + h) | 0;
}

/** Reads bytes [at, at + 64) of `m` (zeros past `end`) into w[0..15], big-endian. */
function load(m: Uint8Array, at: number, end: number) {
  for (let i = 0; i < 16; i++) {
    const j = at + 4 * i;
    w[i] = j + 3 < end ? (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]! : 0;
  }
  // The word the end falls in, if it falls inside this block.
  const k = end - at;
  if (k >= 0 && k < 64) {
    let v = 0;
    const j = at + (k & ~3);
    for (let i = 0; i < (k & 3); i++) v |= m[j + i]! << (24 - 8 * i);
    w[k >> 2] = v;
  }
}

/**
 * SHA-256 of `prefixBlocks` 64-byte blocks (already compressed into `mid`) followed by
 * m[0..len): the 8 state words into `out`.
 */
function finish(mid: Int32Array, prefixBlocks: number, m: Uint8Array, len: number, out: Int32Array) {
  copyWords(mid, out, 8);
  let at = 0;
  for (; at + 64 <= len; at += 64) {
    load(m, at, len);
    compress(out, out);
  }
  // The last partial block, the 0x80 byte, zeros and the length in bits (below 2⁵³: two words).
  load(m, at, len);
  const k = len - at;
  w[k >> 2]! |= 0x80 << (24 - 8 * (k & 3));
  const bits = (prefixBlocks * 64 + len) * 8;
  if (k >= 56) {
    compress(out, out);
    w.fill(0, 0, 16);
  }
  w[14] = Math.floor(bits / 0x100000000);
  w[15] = bits | 0;
  compress(out, out);
}

const inner = new Int32Array(8);

/**
 * to[0..n) = from[0..n). A loop rather than `set`/`fill`: on Node 20 a typed array builtin's
 * call costs more than copying eight words, and a MAC made three such calls (~0.1 µs a reader).
 */
function copyWords(from: Int32Array, to: Int32Array, n: number) {
  for (let i = 0; i < n; i++) to[i] = from[i]!;
}

export function hmacSha256(key: string | Uint8Array): KeyedHash {
  let k = typeof key === 'string' ? encoder.encode(key) : key;
  if (k.length > 64) {
    const digest = new Int32Array(8);
    finish(IV, 0, k, k.length, digest);
    k = wordsToBytes(digest);
  }
  // The key's two padded blocks, compressed once: every call starts from these midstates.
  const midstate = (pad: number) => {
    const block = new Uint8Array(64).fill(pad);
    for (let i = 0; i < k.length; i++) block[i] = k[i]! ^ pad;
    load(block, 0, 64);
    const state = new Int32Array(8);
    compress(IV, state);
    return state;
  };
  const innerMid = midstate(0x36);
  const outerMid = midstate(0x5c);
  const outer = new Int32Array(8);
  return (message, length, out) => {
    if (typeof message !== 'string') finish(innerMid, 1, message, length ?? message.length, inner);
    else {
      const { read, written } = encoder.encodeInto(message, scratch);
      if (read === message.length) finish(innerMid, 1, scratch, written, inner);
      else {
        const bytes = encoder.encode(message);
        finish(innerMid, 1, bytes, bytes.length, inner);
      }
    }
    // The outer message is the inner digest: one block, whose padding is the same every time.
    copyWords(inner, w, 8);
    w[8] = 0x80000000;
    for (let i = 9; i < 15; i++) w[i] = 0;
    w[15] = (64 + 32) * 8;
    compress(outerMid, outer);
    return wordsToBytes(outer, out);
  };
}

function wordsToBytes(words: Int32Array, out: Uint8Array = new Uint8Array(32)): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const v = words[i]!;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = v >>> 16;
    out[4 * i + 2] = v >>> 8;
    out[4 * i + 3] = v;
  }
  return out;
}
