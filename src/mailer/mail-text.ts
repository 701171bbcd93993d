/**
 * The HTML or text part of an email, either whole or in pieces. A campaign's part is the same for
 * every reader except a few values (name, links, tracking token): `Pieced` keeps the literal parts
 * the campaign's readers share (one array, by identity) and this reader's values between them,
 * so a batch of 100 digests holds one copy of the digest, and the Resend mailer can encode the
 * shared parts for its request body once per campaign instead of once per reader
 * (src/mailer/resend-batch-body.ts).
 */
export interface Pieced {
  /** Literal text around the values, shared by every reader: `parts.length === values.length + 1`. */
  readonly parts: readonly string[];
  readonly values: readonly string[];
}

export type MailText = string | Pieced;

/** The whole text. */
export function flatText(t: MailText): string {
  if (typeof t === 'string') return t;
  const { parts, values } = t;
  let out = parts[0] as string;
  for (let i = 0; i < values.length; i++) out += (values[i] as string) + (parts[i + 1] as string);
  return out;
}
