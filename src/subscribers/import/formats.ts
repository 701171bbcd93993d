/**
 * The export formats Broadside recognises by their header names, and the column mapping it
 * guesses for each. A mapping names, for each field Broadside understands, the header of the
 * column that holds it; the editor may correct it (?mapping= in the API, the preview on the desk).
 */
export const importFormats = ['mailchimp', 'substack', 'ghost', 'listmonk', 'broadside', 'plain'] as const;
export type ImportFormat = (typeof importFormats)[number];

export const formatNames: Record<ImportFormat, string> = {
  mailchimp: 'Mailchimp',
  substack: 'Substack',
  ghost: 'Ghost',
  listmonk: 'listmonk',
  broadside: 'Broadside',
  plain: 'CSV',
};

export const importFields = [
  'email',
  'name',
  'firstName',
  'lastName',
  /** A status word (subscribed, unsubscribed, cleaned, blocklisted, bounced…). */
  'status',
  /** A yes/no column: false means the reader left (Ghost's subscribed_to_emails). */
  'subscribed',
  /** A yes/no column: true means mail to the reader is off (Substack's email_disabled). */
  'emailDisabled',
  /** A yes/no column: true adds the tag "paid" (Substack's active_subscription). */
  'paid',
  'topics',
  'tags',
  'consentAt',
  'consentIp',
  'consentUserAgent',
  'consentSource',
  'consentWording',
  'confirmedAt',
  'confirmIp',
  'unsubscribedAt',
] as const;
export type ImportField = (typeof importFields)[number];
export type ImportMapping = Partial<Record<ImportField, string>>;

/** Candidate header names per field, lower-case, in order of preference. */
const candidates: Record<ImportFormat, Partial<Record<ImportField, string[]>>> = {
  mailchimp: {
    email: ['email address'],
    firstName: ['first name', 'fname'],
    lastName: ['last name', 'lname'],
    tags: ['tags'],
    consentAt: ['optin_time'],
    consentIp: ['optin_ip'],
    confirmedAt: ['confirm_time'],
    confirmIp: ['confirm_ip'],
    unsubscribedAt: ['unsub_time', 'clean_time'],
  },
  substack: {
    email: ['email'],
    name: ['name'],
    emailDisabled: ['email_disabled'],
    paid: ['active_subscription'],
    consentAt: ['created_at'],
  },
  ghost: {
    email: ['email'],
    name: ['name'],
    subscribed: ['subscribed_to_emails', 'subscribed'],
    tags: ['labels'],
    consentAt: ['created_at'],
  },
  listmonk: {
    email: ['email'],
    name: ['name'],
    status: ['status'],
    consentAt: ['created_at'],
  },
  broadside: {
    email: ['email'],
    name: ['name'],
    status: ['status'],
    topics: ['topics'],
    tags: ['tags'],
    consentAt: ['consent_at'],
    consentIp: ['consent_ip'],
    consentUserAgent: ['consent_user_agent'],
    consentSource: ['consent_source'],
    consentWording: ['consent_wording'],
    confirmedAt: ['confirmed_at'],
    confirmIp: ['confirm_ip'],
    unsubscribedAt: ['unsubscribed_at'],
  },
  plain: {
    email: ['email', 'e-mail', 'email address', 'e-mail address', 'emailaddress', 'mail', 'address'],
    name: ['name', 'full name', 'fullname', 'display name'],
    firstName: ['first name', 'first_name', 'firstname', 'given name'],
    lastName: ['last name', 'last_name', 'lastname', 'surname', 'family name'],
    status: ['status', 'state'],
    topics: ['topics'],
    tags: ['tags', 'labels', 'groups'],
    consentAt: ['subscribed_at', 'consent_at', 'optin_time', 'created_at', 'signup_date'],
    consentIp: ['consent_ip', 'optin_ip', 'ip'],
    confirmedAt: ['confirmed_at', 'confirm_time'],
  },
};

const has = (lower: Set<string>, ...names: string[]) => names.some((n) => lower.has(n));

/** Which tool made a file, from its header row. */
export function detectFormat(headers: string[]): ImportFormat {
  const lower = new Set(headers.map((h) => h.trim().toLowerCase()));
  if (lower.has('email address') && has(lower, 'optin_time', 'confirm_time', 'member_rating', 'leid', 'euid')) return 'mailchimp';
  if (lower.has('email') && has(lower, 'consent_source', 'consent_wording') && lower.has('topics')) return 'broadside';
  if (lower.has('email') && has(lower, 'active_subscription', 'email_disabled')) return 'substack';
  if (lower.has('email') && has(lower, 'subscribed_to_emails', 'stripe_customer_id', 'complimentary_plan')) return 'ghost';
  if (lower.has('email') && lower.has('status') && has(lower, 'attributes', 'uuid')) return 'listmonk';
  return 'plain';
}

/** The mapping Broadside guesses: for each field, the first candidate header the file has. */
export function guessMapping(format: ImportFormat, headers: string[]): ImportMapping {
  const byLower = new Map(headers.map((h) => [h.trim().toLowerCase(), h] as const));
  const mapping: ImportMapping = {};
  const sets = format === 'plain' ? [candidates.plain] : [candidates[format], candidates.plain];
  for (const set of sets) {
    for (const [field, names] of Object.entries(set) as [ImportField, string[]][]) {
      if (mapping[field]) continue;
      const found = names.map((n) => byLower.get(n)).find(Boolean);
      if (found) mapping[field] = found;
    }
  }
  // A full name wins over first + last when both exist.
  if (mapping.name) {
    delete mapping.firstName;
    delete mapping.lastName;
  }
  return mapping;
}

/**
 * The status a whole Mailchimp file declares: Mailchimp exports one file per status, and the
 * unsubscribed and cleaned files are the ones with UNSUB_TIME and CLEAN_TIME columns.
 */
export function declaredStatusOf(format: ImportFormat, headers: string[]): string | undefined {
  if (format !== 'mailchimp') return undefined;
  const lower = new Set(headers.map((h) => h.trim().toLowerCase()));
  if (lower.has('clean_time')) return 'cleaned';
  if (lower.has('unsub_time')) return 'unsubscribed';
  return 'subscribed';
}
