/**
 * Signed, purpose-bound tokens for reader links (confirm, unsubscribe, preferences, …).
 *
 * A token is `base64url(payload) "." base64url(mac)` where payload is
 * `purpose:subscriberId:issuedAtSeconds[:extra]` and mac is HMAC-SHA256 over it with SECRET. The purpose is inside the signed payload, so an unsubscribe token can
 * never be used as a confirmation token. Signing uses the synchronous keyed hash of
 * src/keyed-hash.ts (a send signs one link per reader, `readerSigner`); verification uses `crypto.subtle.verify`,
 * which compares in constant time, so a forger learns nothing from response timing. The same code
 * runs on Node and in workerd.
 *
 * A campaign email's unsubscribe token is the one exception to that format (see `readerPair`):
 * `base64url("unsubscribe:id:issuedAt:campaignId") "." base64url(16-byte half of a pair MAC)`.
 * Its 16-byte MAC is what tells it from every other token (theirs are 32 bytes).
 */
import { base64UrlCodes, fromBase64Url, textToBase64Url, toBase64Url } from './base64url';
import { hmacSha256, type KeyedHash } from './keyed-hash';
import { bytesEqual } from './constant-time';
import type { PairedReaderCheck } from './tracking/tracking-tokens';

/** A token's issue time: whole seconds since the epoch (the signer and every check must agree on it). */
export const epochSeconds = (ms: number) => Math.floor(ms / 1000);

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
/** Each half of a pair MAC (see `readerPair`): 128 bits. */
export const PAIR_HALF_BYTES = 16;
const encoder = new TextEncoder();
/** "unsubscribe:" is 12 bytes, a whole number of base64 groups: its spelling is a constant prefix. */
const UNSUBSCRIBE_HEAD = 'unsubscribe:';
const UNSUBSCRIBE_HEAD64 = textToBase64Url(UNSUBSCRIBE_HEAD);

/**
 * One campaign email's reader tokens from ONE MAC: P = HMAC-SHA256(SECRET, "pair:c:id:t") for
 * campaign c, reader id and the send's issue time t (seconds). Its first 16 bytes are the
 * unsubscribe token's MAC (that token also opens the reader's preferences page, links.ts), its
 * last 16 bytes the tracking reader token's (`<c>.<id>.<base64url>`, src/tracking/
 * tracking-tokens.ts), which every tracked link and the open pixel of the email carry. Which
 * campaigns are paired is frozen in the campaign's send settings (`pairedLinks`); the tracking
 * routes check its reader tokens with `pairedReaderCheck`, everything else as before.
 *
 * Why this is safe, as an attacker would try it:
 * - Forwarding: a tracked link goes wherever the email goes (forwards, screenshots of URLs,
 *   proxies' logs). It holds the tracking half R. HMAC-SHA256 is a PRF, so the two halves of P
 *   are independent: knowing R (even for every reader and campaign) says nothing about U, the
 *   unsubscribe half. A tracked link can still never unsubscribe anyone.
 * - Truncation: each half is 128 bits, as the tracking tokens always were; a forger must guess
 *   it online, one request per guess. Truncated HMAC is a standard MAC (RFC 2104 §5).
 * - Purpose confusion: each verifier fixes which half it compares, whatever the token claims:
 *   `verify` compares U only, for the purpose "unsubscribe" with a campaign; `pairedReaderCheck`
 *   compares R only. A tracking half in an unsubscribe token fails, and the reverse.
 * - Other uses of SECRET: "pair:" is no token purpose, no "hash:" label and not the erasure
 *   tombstones' "erased-address:", so P never equals another MAC of this key; and a 32-byte
 *   token MAC is never accepted where a half is expected, nor a half where 32 bytes are.
 * - Replay across readers, campaigns, sends: c, id and t are all in the MAC, in canonical
 *   digits (the token's own text is what is hashed, so "007" is not "7"); the tracking route
 *   takes c and id from the token and t from the campaign, never from the request.
 * - Timing: both halves are compared in constant time (src/constant-time.ts), after strict
 *   base64url decoding (one spelling per MAC, src/base64url.ts).
 * - Old links: every token already in an inbox keeps its format and its check (32-byte MACs via
 *   WebCrypto; unpaired campaigns' reader tokens with the campaign's own key). What changes for a
 *   paired campaign: its reader tokens depend on SECRET, as its unsubscribe links always did, so
 *   rotating SECRET (which already breaks every unsubscribe link) now breaks its tracked links'
 *   reader part too; a leak of the campaign's stored key no longer forges them.
 */
export interface ReaderPair {
  /** The unsubscribe token, which the preferences link carries too. */
  unsubscribe: string;
  /**
   * The tracking reader token: `pairedReaderToken(campaignId, subscriberId, base64url of the
   * tracking half)` (src/tracking/tracking-tokens.ts).
   */
  readerToken: string;
}

/** The unpadded base64url length of a 16-byte half. */
const TRACKING_MAC_LENGTH = 22;

/**
 * Everything a campaign's pair tokens hold for ids of one length, with the places of what varies.
 * `codes` spells the unsubscribe token then the reader token, back to back:
 * `dW5zdWJzY3JpYmU6` + base64url(id ":t:c") "." base64url(U) ‖ c "." id "." base64url(R).
 * The buffers are reused by every reader whose id has that many digits: each call overwrites all
 * that varies (the digits, the payload's first groups, both halves), so nothing of one reader
 * stays in another's tokens (test/paired-links.test.ts).
 */
interface PairLayout {
  /** The MAC's message, "pair:c:" id ":t", and where the id starts in it. */
  message: Uint8Array;
  messageId: number;
  /** The unsubscribe payload after its constant head: id ":t:c". */
  payload: Uint8Array;
  /** The payload's bytes whose base64 groups hold a digit: the rest is spelled once, here. */
  payloadGroupsEnd: number;
  codes: number[];
  /** Where, in `codes`, the unsubscribe half's spelling starts, the reader token starts, its id starts. */
  unsubscribeMac: number;
  readerToken: number;
  tokenId: number;
}

function pairLayout(campaignId: number, issuedAt: number, digits: number): PairLayout {
  const head = encoder.encode(`pair:${campaignId}:`);
  const tail = encoder.encode(`:${issuedAt}`);
  const message = new Uint8Array(head.length + digits + tail.length);
  message.set(head);
  message.set(tail, head.length + digits);
  const payloadTail = encoder.encode(`:${issuedAt}:${campaignId}`);
  const payload = new Uint8Array(digits + payloadTail.length).fill(0x30);
  payload.set(payloadTail, digits);
  const campaign = String(campaignId);
  const unsubscribeMac = UNSUBSCRIBE_HEAD64.length + base64Length(payload.length) + 1;
  const readerToken = unsubscribeMac + TRACKING_MAC_LENGTH;
  const tokenId = readerToken + campaign.length + 1;
  const codes = new Array<number>(tokenId + digits + 1 + TRACKING_MAC_LENGTH).fill(0);
  for (let i = 0; i < UNSUBSCRIBE_HEAD64.length; i++) codes[i] = UNSUBSCRIBE_HEAD64.charCodeAt(i);
  base64UrlCodes(codes, UNSUBSCRIBE_HEAD64.length, payload, payload.length);
  codes[unsubscribeMac - 1] = 46; // "."
  for (let i = 0; i < campaign.length; i++) codes[readerToken + i] = campaign.charCodeAt(i);
  codes[tokenId - 1] = 46;
  codes[tokenId + digits] = 46;
  return { message, messageId: head.length, payload, payloadGroupsEnd: Math.min(payload.length, Math.ceil(digits / 3) * 3), codes, unsubscribeMac, readerToken, tokenId };
}

/** The length of the unpadded base64url spelling of `bytes` bytes. */
const base64Length = (bytes: number) => Math.floor(bytes / 3) * 4 + LAST_GROUP[bytes % 3]!;
const LAST_GROUP = [0, 2, 3];

const pairMessage = (campaignId: string, subscriberId: string, issuedAt: string) => `pair:${campaignId}:${subscriberId}:${issuedAt}`;

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
   * A campaign's reader pairs (see ReaderPair above), synchronously, one MAC per reader. What a
   * reader's tokens hold besides their id's digits and the MAC depends only on how many digits
   * the id has, so it is laid out once per length (`PairLayout`): per reader, the digits go into
   * the MAC's message, the unsubscribe payload and the reader token, the payload's base64 is
   * redone only for the groups that hold digits, and both tokens come from ONE string.
   */
  readerPair(campaignId: number, issuedAt: number): (subscriberId: number) => ReaderPair {
    if (!Number.isSafeInteger(campaignId) || campaignId <= 0 || !Number.isSafeInteger(issuedAt) || issuedAt < 0) throw new Error('campaignId and issuedAt must be integers');
    const layouts: PairLayout[] = [];
    const mac = new Uint8Array(32);
    return (subscriberId) => {
      if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error('subscriberId must be a positive integer');
      const id = String(subscriberId);
      const digits = id.length;
      const l = (layouts[digits] ??= pairLayout(campaignId, issuedAt, digits));
      const { codes, payload, message } = l;
      for (let i = 0; i < digits; i++) {
        const c = id.charCodeAt(i);
        payload[i] = message[l.messageId + i] = codes[l.tokenId + i] = c;
      }
      this.mac(message, message.length, mac);
      base64UrlCodes(codes, UNSUBSCRIBE_HEAD64.length, payload, l.payloadGroupsEnd);
      base64UrlCodes(codes, l.unsubscribeMac, mac, PAIR_HALF_BYTES);
      base64UrlCodes(codes, codes.length - TRACKING_MAC_LENGTH, mac, 32, PAIR_HALF_BYTES);
      // One flat string; its slices share it (no copies), and nothing per reader is a rope.
      const both = String.fromCharCode.apply(null, codes);
      return { unsubscribe: both.slice(0, l.readerToken), readerToken: both.slice(l.readerToken) };
    };
  }

  /**
   * Checks a paired campaign's tracking reader tokens: true when `mac` is the tracking half of
   * the pair of (campaign, reader) issued at `issuedAt` (the campaign's send). Constant-time.
   */
  pairedReaderCheck(issuedAt: number): PairedReaderCheck {
    return (campaignId, subscriberId, mac) =>
      mac.length === PAIR_HALF_BYTES &&
      bytesEqual(mac, this.mac(pairMessage(String(campaignId), String(subscriberId), String(issuedAt))).subarray(PAIR_HALF_BYTES));
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
    if (!payloadBytes || !mac || (mac.length !== MAC_BYTES && mac.length !== PAIR_HALF_BYTES)) return null;
    const payload = new TextDecoder().decode(payloadBytes);
    const [tokenPurpose, id, issued, extra, ...more] = payload.split(':');
    if (mac.length === PAIR_HALF_BYTES) {
      // A paired campaign's unsubscribe token: only that purpose, only with its campaign, and
      // only the unsubscribe half (ReaderPair). The token's own digits are what is hashed.
      if (tokenPurpose !== 'unsubscribe' || !id || !issued || !extra || more.length) return null;
      const expected = this.mac(pairMessage(extra, id, issued)).subarray(0, PAIR_HALF_BYTES);
      if (!bytesEqual(mac, expected)) return null;
    } else {
      // subtle.verify compares in constant time.
      const genuine = await crypto.subtle.verify('HMAC', await this.key, mac, payloadBytes);
      if (!genuine) return null;
    }
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
