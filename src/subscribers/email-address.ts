import * as z from 'zod';

/**
 * Normalises a reader's address: trimmed, domain lower-cased (the local part is kept as typed,
 * since RFC 5321 lets servers treat it case-sensitively), Unicode NFC.
 * Returns null for anything that is not a single plausible address. Rejecting CR/LF, commas,
 * angle brackets and the like here is what makes header injection impossible later.
 */
export function normaliseEmail(input: string): string | null {
  const value = input.normalize('NFC').trim();
  if (value.length > 254 || value.length < 3) return null;
  const at = value.lastIndexOf('@');
  if (at < 1 || at === value.length - 1) return null;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1).toLowerCase();
  if (local.length > 64) return null;
  // Dot-atom local part (no quoted strings, no spaces or control characters).
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/.test(local)) {
    return null;
  }
  // Domain: labels of letters/digits/hyphens (IDN allowed), with a dot and a real TLD.
  const labels = domain.split('.');
  if (labels.length < 2) return null;
  for (const label of labels) {
    if (!label || label.length > 63) return null;
    if (!/^[a-z0-9\u0080-\uFFFF]([a-z0-9\u0080-\uFFFF-]*[a-z0-9\u0080-\uFFFF])?$/.test(label)) return null;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return `${local}@${domain}`;
}

/** A zod field for an address that normalises it and explains what is wrong. */
export const emailField = z
  .string({ error: 'email is required' })
  .max(320, 'email is too long')
  .transform((v, ctx) => {
    const email = normaliseEmail(v);
    if (!email) {
      ctx.addIssue({ code: 'custom', message: 'That email address does not look right. Please check it.' });
      return z.NEVER;
    }
    return email;
  });
