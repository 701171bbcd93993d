/**
 * The HTML or text part of an email, either whole or in pieces. A campaign's part is the same for
 * every reader except a few values (name, links, tracking token): `Pieced` keeps the literal parts
 * the campaign's readers share (one array, by identity) and this reader's values between them,
 * so a batch of 100 digests holds one copy of the digest, and the Resend mailer can encode the
 * shared parts for its request body once per campaign instead of once per reader
 * (src/mailer/resend-batch-body.ts).
 */
export interface Pieced {
  /** Literal text around the holes, shared by every reader. */
  readonly parts: readonly string[];
  /**
   * Which value fills each hole: hole i (between parts[i] and parts[i + 1]) holds
   * `values[holes[i]]`. Shared by every reader like `parts`; a reader's few values recur (the
   * tracking token is in every link), so each is held once. Without it the values are the
   * holes' own, in order (`values.length === parts.length - 1`).
   */
  readonly holes?: readonly number[];
  readonly values: readonly string[];
}

export type MailText = string | Pieced;

/** The whole text. */
export function flatText(t: MailText): string {
  if (typeof t === 'string') return t;
  const { parts, holes, values } = t;
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i++) out += (values[holes === undefined ? i - 1 : (holes[i - 1] as number)] as string) + (parts[i] as string);
  return out;
}
