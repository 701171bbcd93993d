import { asc, count, eq } from 'drizzle-orm';
import type { Database } from '../db/database';
import { adminAccounts, adminSessions, type AdminAccount, type AdminRole } from '../db/schema';
import { AppError } from '../errors';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords';

/** Desk accounts: plain functions over the database, as every query in Broadside. */

export const normaliseAccountEmail = (email: string) => email.trim().toLowerCase();

export const getAccountByEmail = (db: Database, email: string) =>
  db.select().from(adminAccounts).where(eq(adminAccounts.email, normaliseAccountEmail(email))).get();

export const getAccount = (db: Database, id: number) => db.select().from(adminAccounts).where(eq(adminAccounts.id, id)).get();

export const listAccounts = (db: Database) => db.select().from(adminAccounts).orderBy(asc(adminAccounts.email));

export async function accountCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(adminAccounts);
  return row?.n ?? 0;
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('bad_request', `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`, { field: 'password' });
  }
  if (password.length > 1000) throw new AppError('bad_request', 'The password is too long.', { field: 'password' });
}

export async function createAccount(
  db: Database,
  args: { email: string; name?: string | null; role: AdminRole; password: string; now: number },
): Promise<AdminAccount> {
  checkPassword(args.password);
  const email = normaliseAccountEmail(args.email);
  if (await getAccountByEmail(db, email)) throw new AppError('conflict', `There is already an account for ${email}.`, { field: 'email' });
  const passwordHash = await hashPassword(args.password);
  // The unique index settles a race between two owners adding the same person.
  const [row] = await db
    .insert(adminAccounts)
    .values({ email, name: args.name || null, role: args.role, passwordHash, createdAt: args.now, updatedAt: args.now })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new AppError('conflict', `There is already an account for ${email}.`, { field: 'email' });
  return row;
}

/** A new password ends every session of the account in the same batch. */
export async function changePassword(db: Database, args: { accountId: number; password: string; now: number }) {
  checkPassword(args.password);
  const passwordHash = await hashPassword(args.password);
  await db.batch([
    db.update(adminAccounts).set({ passwordHash, updatedAt: args.now }).where(eq(adminAccounts.id, args.accountId)),
    db.delete(adminSessions).where(eq(adminSessions.accountId, args.accountId)),
  ]);
}

export async function changeRole(db: Database, args: { accountId: number; role: AdminRole; now: number }) {
  await db.update(adminAccounts).set({ role: args.role, updatedAt: args.now }).where(eq(adminAccounts.id, args.accountId));
}

/** Removing an account ends its sessions at once (explicitly, not only by the foreign key). */
export async function removeAccount(db: Database, accountId: number) {
  await db.batch([
    db.delete(adminSessions).where(eq(adminSessions.accountId, accountId)),
    db.delete(adminAccounts).where(eq(adminAccounts.id, accountId)),
  ]);
}
