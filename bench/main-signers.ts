/**
 * The reader's signed links as main made them on 1 December 2026 (commit 458118e), kept here so
 * the personalisation benchmarks compare "now" against what the send did before this change, in
 * the same run: fast-sha256's HMAC behind src/keyed-hash.ts, one unsubscribe token for the
 * unsubscribe and preferences links (TokenSigner.readerSigner via campaignReaderLinks) and one
 * tracking reader token (TrackingSigner.readerSigner), two MACs per email. The tokens are the
 * same bytes the current code makes for a campaign whose links are not paired; only the speed is
 * of interest here.
 */
import { HMAC } from 'fast-sha256';
import { toBase64Url } from '../src/base64url';

function hmacSha256(key: string | Uint8Array) {
  const encoder = new TextEncoder();
  const keyed = new HMAC(typeof key === 'string' ? encoder.encode(key) : key);
  return (message: Uint8Array) => {
    keyed.reset();
    keyed.update(message);
    const mac = new Uint8Array(32);
    keyed.finish(mac);
    return mac;
  };
}

/** main's `campaignReaderLinks` with its `TokenSigner.readerSigner` ('unsubscribe', issue time, campaign). */
export function mainReaderLinks(secret: string, publicUrl: string, campaignId: number, atMs: number) {
  const mac = hmacSha256(secret);
  const encoder = new TextEncoder();
  const head = encoder.encode('unsubscribe:');
  const tail = encoder.encode(`:${Math.floor(atMs / 1000)}:${campaignId}`);
  const payload = new Uint8Array(head.length + 16 + tail.length);
  payload.set(head);
  const token = (subscriberId: number) => {
    if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error('subscriberId must be a positive integer');
    const id = String(subscriberId);
    let n = head.length;
    for (let i = 0; i < id.length; i++) payload[n++] = id.charCodeAt(i);
    payload.set(tail, n);
    n += tail.length;
    return `${toBase64Url(payload, n)}.${toBase64Url(mac(payload.subarray(0, n)))}`;
  };
  return (subscriberId: number) => {
    const t = token(subscriberId);
    return { unsubscribeUrl: `${publicUrl}/unsubscribe/${t}`, preferencesUrl: `${publicUrl}/preferences/${t}` };
  };
}

/** main's `TrackingSigner.readerSigner`, with the campaign's tracking key (raw bytes). */
export function mainReaderTokens(key: Uint8Array, campaignId: number) {
  const hash = hmacSha256(key);
  const head = new TextEncoder().encode(`reader:${campaignId}:`);
  const payload = new Uint8Array(head.length + 16);
  payload.set(head);
  const prefix = `${campaignId}.`;
  return (subscriberId: number) => {
    if (!Number.isSafeInteger(subscriberId) || subscriberId <= 0) throw new Error('subscriberId must be a positive integer');
    const id = String(subscriberId);
    let n = head.length;
    for (let i = 0; i < id.length; i++) payload[n++] = id.charCodeAt(i);
    return `${prefix}${id}.${toBase64Url(hash(payload.subarray(0, n)), 16)}`;
  };
}
