/**
 * base64url without padding (RFC 4648 §5), the spelling of every token Broadside issues.
 *
 * Decoding is strict: a string decodes only if encoding its bytes gives the same string back.
 * base64 carries spare bits in its last character (a 32-byte MAC ends in a character that holds
 * 4 data bits and 2 ignored ones), so `…U` and `…V` decode to the same bytes; a lenient decoder
 * lets one token be written several ways, which defeats anything keyed on the token's text
 * (replay lists, logs, caches) and is a forger's free oracle. One token, one string.
 */
export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes `s` spells, or null when it is not the one canonical base64url spelling of them. */
export function fromBase64Url(s: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return toBase64Url(bytes) === s ? bytes : null;
}
