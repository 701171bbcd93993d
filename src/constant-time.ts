/**
 * Whether two byte strings are equal, in time that does not depend on where they first differ
 * (the loop never stops early), so a forger learns nothing from how long a refusal takes. The one
 * comparison of secrets and MACs outside WebCrypto's `verify`.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
