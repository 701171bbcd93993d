/**
 * Svix webhook signatures (what Resend signs its webhooks with), checked with WebCrypto.
 *
 * The documented scheme: the secret is `whsec_` + base64 key bytes; the signed content is
 * `${svix-id}.${svix-timestamp}.${raw body}`; `svix-signature` holds one or more space-separated
 * `v1,<base64 HMAC-SHA256>` entries (several while a secret is being rotated), and one matching
 * entry is enough. The timestamp must be within five minutes of now, which with the id check in
 * receipts.ts makes a captured request useless later.
 *
 * Why not `new Webhook(secret).verify()` from the `svix` package: it reads the wall clock
 * (`Date.now()`) where Broadside has an injected clock, hashes in pure JavaScript, compares with
 * its own loop, and importing `svix` pulls its whole API client into the Worker bundle. This file
 * is the same algorithm on `crypto.subtle` (constant-time `verify`, the same on Node and in
 * workerd); the tests sign requests with the real `svix` library, so the two cannot drift apart.
 */

export const TOLERANCE_SECONDS = 5 * 60;
/** More entries than any rotation needs; a header with hundreds is an attack on CPU time. */
const MAX_SIGNATURES = 10;
const encoder = new TextEncoder();

export interface SvixHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

export type Verification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'too_old' | 'too_new' | 'bad_signature'; message: string };

function decodeBase64(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  try {
    return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

export class SvixVerifier {
  private readonly key: Promise<CryptoKey>;

  /** `secret` in Resend's `whsec_…` form. Throws if it is not one. */
  constructor(secret: string) {
    const bytes = decodeBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
    if (!bytes || bytes.length === 0) throw new Error('RESEND_WEBHOOK_SECRET must be whsec_ followed by base64');
    this.key = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  }

  async verify(headers: SvixHeaders, body: Uint8Array, nowMs: number): Promise<Verification> {
    const { id, timestamp, signature } = headers;
    if (!id || !timestamp || !signature || id.length > 256 || signature.length > 2000) {
      return { ok: false, reason: 'missing_headers', message: 'svix-id, svix-timestamp and svix-signature headers are required.' };
    }
    if (!/^\d{1,12}$/.test(timestamp)) {
      return { ok: false, reason: 'bad_timestamp', message: 'svix-timestamp must be a Unix time in seconds.' };
    }
    const seconds = Number(timestamp);
    const now = Math.floor(nowMs / 1000);
    if (now - seconds > TOLERANCE_SECONDS) {
      return { ok: false, reason: 'too_old', message: 'The webhook timestamp is more than 5 minutes old.' };
    }
    if (seconds - now > TOLERANCE_SECONDS) {
      return { ok: false, reason: 'too_new', message: 'The webhook timestamp is more than 5 minutes in the future.' };
    }

    const prefix = encoder.encode(`${id}.${timestamp}.`);
    const signed = new Uint8Array(prefix.length + body.length);
    signed.set(prefix);
    signed.set(body, prefix.length);
    const key = await this.key;
    const candidates = signature.split(' ').filter(Boolean).slice(0, MAX_SIGNATURES);
    for (const entry of candidates) {
      const [version, value] = entry.split(',', 2);
      // Other versions (v1a: asymmetric) are not what Resend sends; skip them as Svix does.
      if (version !== 'v1' || !value) continue;
      const mac = decodeBase64(value);
      if (!mac || mac.length !== 32) continue;
      if (await crypto.subtle.verify('HMAC', key, mac, signed)) return { ok: true, id, timestamp: seconds };
    }
    return { ok: false, reason: 'bad_signature', message: 'No valid signature: check RESEND_WEBHOOK_SECRET.' };
  }
}
