/**
 * Signed, purpose-bound tokens for reader links (confirm, unsubscribe, preferences, …).
 *
 * A token is `base64url(payload) "." base64url(mac)` where payload is
 * `purpose:subscriberId:issuedAtSeconds[:extra]` and mac is HMAC-SHA256 over it with SECRET. The purpose is inside the signed payload, so an unsubscribe token can
 * never be used as a confirmation token. Verification uses `crypto.subtle.verify`, which compares
 * in constant time, so a forger learns nothing from response timing.
 * WebCrypto only: the same code runs on Node and in workerd.
 */
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

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * A synchronous HMAC-SHA256 for the hot path (signing two links for every reader of a send).
 * WebCrypto's async sign costs ~40 µs a call in Node; an entry may pass node:crypto's instead.
 * It must compute exactly HMAC-SHA256(secret, payload).
 */
export type HmacSha256 = (payload: string) => Uint8Array;

export class TokenSigner {
  private readonly key: Promise<CryptoKey>;

  constructor(
    secret: string,
    private readonly fastHmac?: HmacSha256,
  ) {
    this.key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
  }

  private async mac(payload: string): Promise<Uint8Array> {
    if (this.fastHmac) return this.fastHmac(payload);
    return new Uint8Array(await crypto.subtle.sign('HMAC', await this.key, encoder.encode(payload)));
  }

  async sign(claims: TokenClaims): Promise<string> {
    if (claims.extra !== undefined && claims.extra.includes(':')) throw new Error('extra must not contain ":"');
    const parts = [claims.purpose, String(claims.subscriberId), String(claims.issuedAt)];
    if (claims.extra !== undefined) parts.push(claims.extra);
    const payload = parts.join(':');
    return `${toBase64Url(encoder.encode(payload))}.${toBase64Url(await this.mac(payload))}`;
  }

  /**
   * Returns the claims when the token is genuine and made for `purpose` and younger than
   * `maxAgeSeconds` (if given); null otherwise. Never throws on malformed input.
   */
  async verify(
    token: string,
    purpose: TokenPurpose,
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
    if (tokenPurpose !== purpose || more.length) return null;
    const subscriberId = Number(id);
    const issuedAt = Number(issued);
    if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0 || !Number.isSafeInteger(issuedAt)) return null;
    if (options.maxAgeSeconds !== undefined) {
      const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
      if (nowSeconds - issuedAt > options.maxAgeSeconds || issuedAt - nowSeconds > 300) return null;
    }
    return { purpose, subscriberId, issuedAt, extra };
  }
}
