/**
 * Signed, purpose-bound tokens for reader links (confirm, unsubscribe, preferences, …).
 *
 * A token is `base64url(payload) "." base64url(mac)` where payload is
 * `purpose:subscriberId:issuedAtSeconds[:extra]` and mac is HMAC-SHA256 over it with SECRET. The purpose is inside the signed payload, so an unsubscribe token can
 * never be used as a confirmation token. Signing uses the synchronous keyed hash of
 * src/keyed-hash.ts (a send signs one link per reader, `readerSigner`); verification uses `crypto.subtle.verify`,
 * which compares in constant time, so a forger learns nothing from response timing. The same code
 * runs on Node and in workerd.
 */
import { fromBase64Url, textToBase64Url, toBase64Url } from './base64url';
import { hmacSha256, type KeyedHash } from './keyed-hash';

export const tokenPurposes = ['confirm', 'unsubscribe', 'preferences', 'session'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: number;
  issuedAt: number; // seconds
  /** Purpose-specific value, e.g. the campaign id an unsubscribe link came from. */
  extra?: string;
}

const MAC_BYTES = 32;
const encoder = new TextEncoder();

export class TokenSigner {
  private readonly key: Promise<CryptoKey>;
  private readonly mac: KeyedHash;

  constructor(secret: string) {
    this.mac = hmacSha256(secret);
    this.key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  /**
   * A keyed hash (HMAC-SHA256 with SECRET) of `value`, for storing a lookup key that must not
   * be the personal data itself (rate-limit keys of mailboxes and IPs). `label` separates uses;
   * the "hash:" prefix is no token purpose, so a hash is never a token's MAC.
   */
  async keyedHash(label: string, value: string): Promise<string> {
    return toBase64Url(this.mac(`hash:${label}:${value}`));
  }

  async sign(claims: TokenClaims): Promise<string> {
    checkExtra(claims.extra);
    const parts = [claims.purpose, String(claims.subscriberId), String(claims.issuedAt)];
    if (claims.extra !== undefined) parts.push(claims.extra);
    const payload = parts.join(':');
    return `${textToBase64Url(payload)}.${toBase64Url(this.mac(payload))}`;
  }

  /**
   * The same tokens as `sign` for many readers whose claims differ only in the subscriber id
   * (a campaign's unsubscribe links: one purpose, issue time and campaign), synchronously. The
   * payload's constant bytes are written once; per reader only the id's digits are, then one MAC
   * and two base64url spellings. Byte-identical to `sign` (test/tokens.test.ts).
   */
  readerSigner(claims: Omit<TokenClaims, 'subscriberId'>): (subscriberId: number) => string {
    checkExtra(claims.extra);
    const head = encoder.encode(`${claims.purpose}:`);
    const tail = encoder.encode(`:${claims.issuedAt}${claims.extra === undefined ? '' : `:${claims.extra}`}`);
    if (head.length + tail.length > 200) throw new Error('token claims too long');
    // Calls are synchronous: one buffer serves every reader. 16 digits hold any safe integer.
    const payload = new Uint8Array(head.length + 16 + tail.length);
    payload.set(head);
    return (subscriberId) => {
      if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error('subscriberId must be a positive integer');
      const id = String(subscriberId);
      let n = head.length;
      for (let i = 0; i < id.length; i++) payload[n++] = id.charCodeAt(i);
      payload.set(tail, n);
      n += tail.length;
      return `${toBase64Url(payload, n)}.${toBase64Url(this.mac(payload.subarray(0, n)))}`;
    };
  }

  /**
   * Returns the claims when the token is genuine and made for `purpose` (or one of several) and
   * younger than `maxAgeSeconds` (if given); null otherwise. Never throws on malformed input.
   */
  async verify(
    token: string,
    purpose: TokenPurpose | readonly TokenPurpose[],
    options: { maxAgeSeconds?: number; nowSeconds?: number } = {},
  ): Promise<TokenClaims | null> {
    if (token.length > 512) return null;
    const [p64, m64, ...rest] = token.split('.');
    if (!p64 || !m64 || rest.length) return null;
    const payloadBytes = fromBase64Url(p64);
    const mac = fromBase64Url(m64);
    if (!payloadBytes || !mac || mac.length !== MAC_BYTES) return null;
    // subtle.verify compares in constant time.
    const genuine = await crypto.subtle.verify('HMAC', await this.key, mac, payloadBytes);
    if (!genuine) return null;
    const payload = new TextDecoder().decode(payloadBytes);
    const [tokenPurpose, id, issued, extra, ...more] = payload.split(':');
    const wanted: readonly string[] = typeof purpose === 'string' ? [purpose] : purpose;
    if (!wanted.includes(tokenPurpose!) || more.length) return null;
    const subscriberId = Number(id);
    const issuedAt = Number(issued);
    if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || !Number.isSafeInteger(issuedAt)) return null;
    if (options.maxAgeSeconds !== undefined) {
      const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
      if (nowSeconds - issuedAt > options.maxAgeSeconds || issuedAt - nowSeconds > 300) return null;
    }
    return { purpose: tokenPurpose as TokenPurpose, subscriberId, issuedAt, extra };
  }
}

function checkExtra(extra: string | undefined) {
  if (extra !== undefined && extra.includes(':')) throw new Error('extra must not contain ":"');
}
