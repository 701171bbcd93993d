import { and, eq, gt, lt } from 'drizzle-orm';
import type { Database } from '../db/database';
import { adminAccounts, adminSessions, type AdminRole } from '../db/schema';
import { randomToken, secretsEqual, sha256 } from './secrets-equal';

export const SESSION_COOKIE = 'broadside_session';
export const SESSION_MAX_AGE_SECONDS = 12 * 3600;

/** Who is acting: an account, or whoever holds ADMIN_TOKEN (an owner). */
export interface AdminPrincipal {
  actor: string;
  role: AdminRole;
  accountId: number | null;
  /** How the request proved it: a bearer token (API, CLI) or the desk's session cookie. */
  via: 'bearer' | 'session';
  /** Session requests only: the session's id and the CSRF token its forms carry. */
  sessionId?: string;
  csrf?: string;
}

export const TOKEN_ACTOR = 'admin token';

const fingerprint = (adminToken: string) => sha256(`broadside-admin-token:${adminToken}`);

/** Opens a session; returns the cookie's value (its secret is stored only as a hash). */
export async function createSession(db: Database, args: { accountId: number | null; adminToken?: string; now: number }): Promise<string> {
  const secret = randomToken();
  await db.insert(adminSessions).values({
    id: await sha256(secret),
    accountId: args.accountId,
    tokenFingerprint: args.accountId === null && args.adminToken ? await fingerprint(args.adminToken) : null,
    csrf: randomToken(),
    createdAt: args.now,
    expiresAt: args.now + SESSION_MAX_AGE_SECONDS * 1000,
  });
  return secret;
}

/**
 * The session behind a cookie, if it is still open: not expired, its account still there (the
 * join), and, for a token session, opened with the admin token in force now.
 */
export async function findSession(db: Database, cookie: string, args: { now: number; adminToken: string }): Promise<AdminPrincipal | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(cookie)) return null;
  const id = await sha256(cookie);
  const row = await db
    .select({ session: adminSessions, email: adminAccounts.email, role: adminAccounts.role })
    .from(adminSessions)
    .leftJoin(adminAccounts, eq(adminAccounts.id, adminSessions.accountId))
    .where(and(eq(adminSessions.id, id), gt(adminSessions.expiresAt, args.now)))
    .get();
  if (!row) return null;
  const { session } = row;
  if (session.accountId === null) {
    if (!session.tokenFingerprint || !(await secretsEqual(session.tokenFingerprint, await fingerprint(args.adminToken)))) return null;
    return { actor: TOKEN_ACTOR, role: 'owner', accountId: null, via: 'session', sessionId: id, csrf: session.csrf };
  }
  if (!row.email || !row.role) return null; // the account is gone
  return { actor: row.email, role: row.role, accountId: session.accountId, via: 'session', sessionId: id, csrf: session.csrf };
}

export const endSession = (db: Database, sessionId: string) => db.delete(adminSessions).where(eq(adminSessions.id, sessionId));

/** Forgets ended sessions (run with the other housekeeping). */
export const pruneSessions = (db: Database, now: number) => db.delete(adminSessions).where(lt(adminSessions.expiresAt, now));
