/**
 * The mailbox an address reaches, as one key: what every per-address limit counts and what makes
 * two spellings of one address one reader. The address as stored stays as the reader typed it.
 *
 * - The local part's case is folded. RFC 5321 lets a server tell `Victim@` from `victim@`, but no
 *   mail service people use does, and an attacker varying the case must not get a fresh limit.
 *   Only ASCII letters are folded, exactly as SQLite's lower() does, so the migration that filled
 *   this key in for existing readers computed the same thing.
 * - A `+tag` is dropped (`victim+1@` is `victim@`): Gmail, Outlook, Fastmail, iCloud, Proton and
 *   most self-hosted servers deliver subaddresses to the base mailbox. A local part that starts
 *   with `+` keeps it, as there is no base to fold to.
 * - Dots are kept, except at Gmail (gmail.com, and googlemail.com which is the same service), which
 *   ignores them: there `v.i.c.t.i.m@` is `victim@`, and 2^n dot spellings would otherwise each
 *   get their own limit. Elsewhere `jo.smith@` and `josmith@` are usually different people, so
 *   folding dots everywhere would merge strangers.
 */
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export function mailboxKey(email: string): string {
  const at = email.lastIndexOf('@');
  let local = email.slice(0, at);
  let domain = email.slice(at + 1).toLowerCase();
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  local = local.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (GMAIL.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
