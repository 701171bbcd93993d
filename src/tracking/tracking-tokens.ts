/**
 * Signed tokens for click and open tracking, as short as they can safely be: every link in every
 * campaign email carries two of them (`/r/<link>/<reader>`).
 *
 * - link token   `<campaignId>.<position>.<mac>`: one per link, signed once when the send starts;
 * - reader token `<campaignId>.<subscriberId>.<mac>`: one per reader, made once per email and put
 *   into the stored render's reader placeholder (so personalising stays a string join).
 *
 * mac is HMAC-SHA256 with the campaign's own random key (campaign_tracking.key), truncated to
 * 128 bits, over a payload that names the token's kind, so a reader token is never a valid link
 * token. 128 bits is far beyond guessing over HTTP, and halves the length of every link.
 * The comparison is constant-time. The MAC is the synchronous keyed hash of src/keyed-hash.ts (one
 * per reader of a send), the same code for Node and workerd.
 *
 * A paired campaign (its send settings say `pairedLinks`) signs its reader tokens differently:
 * same format, but the MAC is the tracking half of the reader's pair MAC under SECRET, the MAC
 * that also signs the email's unsubscribe token (src/tokens.ts `readerPair`, with the security
 * argument), so an email costs one MAC, not two. Its link tokens are signed as above.
 */

import { fromBase64Url, toBase64Url } from '../base64url';
import { hmacSha256, type KeyedHash } from '../keyed-hash';
import { bytesEqual } from '../constant-time';

const MAC_BYTES = 16;
const TOKEN = /^([1-9]\d{0,14})\.(0|[1-9]\d{0,14})\.([A-Za-z0-9_-]{22})$/;

/** A fresh campaign key, stored with the campaign when its send starts. */
export function newTrackingKey(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export type TokenKind = 'link' | 'reader';

export interface TrackingToken {
  campaignId: number;
  /** The link's position (link tokens) or the reader's subscriber id (reader tokens). */
  value: number;
}

/** The ids a token claims, before any check: used to find the campaign's key. */
export function parseTrackingToken(token: string): (TrackingToken & { mac: string }) | null {
  const match = TOKEN.exec(token);
  if (!match) return null;
  const campaignId = Number(match[1]);
  const value = Number(match[2]);
  if (!Number.isSafeInteger(campaignId) || !Number.isSafeInteger(value)) return null;
  return { campaignId, value, mac: match[3]! };
}

/** A paired campaign's reader token: the reader's ids and the tracking half of their pair MAC. */
export const pairedReaderToken = (campaignId: number, subscriberId: number, trackingMac: string) => `${campaignId}.${subscriberId}.${trackingMac}`;

/** Checks a paired campaign's reader MACs (src/tokens.ts `TokenSigner.pairedReaderCheck`). */
export type PairedReaderCheck = (campaignId: number, subscriberId: number, mac: Uint8Array) => boolean;

/** Signs and checks one campaign's tracking tokens. Import the key once per campaign and reuse it. */
export class TrackingSigner {
  private constructor(
    private readonly hash: KeyedHash,
    private readonly paired?: PairedReaderCheck,
  ) {}

  /** `paired`: the campaign's reader tokens are pair halves, checked by this instead of the key. */
  static async fromKey(key: string, paired?: PairedReaderCheck): Promise<TrackingSigner> {
    const raw = fromBase64Url(key);
    if (!raw) throw new Error('campaign tracking key is not base64url');
    return new TrackingSigner(hmacSha256(raw), paired);
  }

  private async mac(kind: TokenKind, t: TrackingToken): Promise<Uint8Array> {
    return this.hash(`${kind}:${t.campaignId}:${t.value}`).subarray(0, MAC_BYTES);
  }

  async sign(kind: TokenKind, t: TrackingToken): Promise<string> {
    return `${t.campaignId}.${t.value}.${toBase64Url(await this.mac(kind, t))}`;
  }

  /**
   * One campaign's reader tokens, synchronously: the same tokens as `sign('reader', …)`, with the
   * payload's constant bytes (`reader:<campaignId>:`) written once, so a reader costs one MAC, the
   * id's digits and 22 characters of base64url (test/tracking/tracking-tokens.test.ts).
   */
  readerSigner(campaignId: number): (subscriberId: number) => string {
    const head = new TextEncoder().encode(`reader:${campaignId}:`);
    const payload = new Uint8Array(head.length + 16);
    payload.set(head);
    const prefix = `${campaignId}.`;
    return (subscriberId) => {
      // 16 digits hold any positive safe integer, which every subscriber id is.
      if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error('subscriberId must be a positive integer');
      const id = String(subscriberId);
      let n = head.length;
      for (let i = 0; i < id.length; i++) payload[n++] = id.charCodeAt(i);
      return `${prefix}${id}.${toBase64Url(this.hash(payload.subarray(0, n)), MAC_BYTES)}`;
    };
  }

  /** True when `token` is exactly what this key signs for `kind` and the ids it carries. */
  async verify(kind: TokenKind, token: string): Promise<TrackingToken | null> {
    const parsed = parseTrackingToken(token);
    if (!parsed) return null;
    const claims = { campaignId: parsed.campaignId, value: parsed.value };
    // Strict decoding: the last of the 22 characters has 4 spare bits, so 16 spellings would
    // otherwise carry the same MAC.
    const given = fromBase64Url(parsed.mac);
    if (!given) return null;
    if (kind === 'reader' && this.paired) return claims.value > 0 && this.paired(claims.campaignId, claims.value, given) ? claims : null;
    return bytesEqual(given, await this.mac(kind, claims)) ? claims : null;
  }
}
