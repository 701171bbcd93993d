import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { nowMs } from './now';

/**
 * The editors' desk: who may sign in, who is signed in, and what they did.
 * Times are integer milliseconds since the epoch (UTC).
 */

export const adminRoles = ['owner', 'editor', 'viewer'] as const;
export type AdminRole = (typeof adminRoles)[number];

/** A person who signs in to the desk with an email address and a password. */
export const adminAccounts = sqliteTable(
  'admin_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lower-cased, so one person is one account whatever they type. */
    email: text('email').notNull(),
    name: text('name'),
    role: text('role', { enum: adminRoles }).notNull(),
    /** `pbkdf2-sha256$iterations$salt$hash` (src/admin/passwords.ts). */
    passwordHash: text('password_hash').notNull(),
    createdAt: integer('created_at').notNull().default(nowMs),
    updatedAt: integer('updated_at').notNull().default(nowMs),
  },
  (t) => [uniqueIndex('admin_accounts_email_unique').on(t.email)],
);

/**
 * Server-side sessions, so a session can end at once: sign-out deletes the row; removing an
 * account deletes its rows (cascade); a password change deletes them; a session opened with the
 * admin token remembers a keyed hash of that token and ends when the token changes.
 * The cookie holds a random secret; only its SHA-256 is stored, so a leaked table opens nothing.
 */
export const adminSessions = sqliteTable(
  'admin_sessions',
  {
    /** SHA-256 (base64url) of the cookie's secret. */
    id: text('id').primaryKey(),
    /** Null for a session opened with ADMIN_TOKEN (an owner without an account). */
    accountId: integer('account_id').references(() => adminAccounts.id, { onDelete: 'cascade' }),
    /** Sessions opened with ADMIN_TOKEN: HMAC of the token they were opened with. */
    tokenFingerprint: text('token_fingerprint'),
    /** The CSRF token every form of this session carries. */
    csrf: text('csrf').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [
    // "End every session of this account" (password change).
    index('admin_sessions_account_idx').on(t.accountId),
  ],
);

/** Who sent, scheduled, cancelled, imported, exported or erased what, and when. Append-only. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The account's email, or "admin token" for the bearer token and token sessions. */
    actor: text('actor').notNull(),
    /** A verb in the past tense: campaign.sent, campaign.scheduled, subscribers.imported… */
    action: text('action').notNull(),
    /** What it was done to, e.g. "campaign 12" or "subscriber 40". */
    target: text('target'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull().default(nowMs),
  },
  // The desk reads the newest entries first.
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);

export type AdminAccount = typeof adminAccounts.$inferSelect;
export type AdminSession = typeof adminSessions.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
