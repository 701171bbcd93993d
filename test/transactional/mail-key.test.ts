/**
 * One transactional email has one Idempotency-Key, whichever statement queued it: the sign-up's
 * batch writes it in SQL (queueMailStatement, queueClaimedMailStatement), other paths in
 * TypeScript (queueMail). If the two spelled it differently, the key's unique index could not
 * see that the same email was queued twice, and the reader would get it twice.
 */
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { transactionalMail } from '../../src/db/schema';
import { mailKey, queueClaimedMailStatement, queueMail, queueMailStatement } from '../../src/transactional/queries';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

describe('the Idempotency-Key of a transactional email', () => {
  let t: TestApp;
  afterEach(() => t?.close());
  const issuedAt = 1_795_400_000_000;

  it.each([
    ['queueMailStatement', queueMailStatement],
    ['queueClaimedMailStatement', (db: TestApp['db'], args: Parameters<typeof queueMailStatement>[1]) => queueClaimedMailStatement(db, { ...args, leaseUntil: issuedAt + 60_000 })],
  ] as const)('is the same from %s as from queueMail, so the same email is queued once', async (_name, queueInSql) => {
    t = await createTestApp();
    const [id] = await seedReaders(t.db, 1);
    await queueInSql(t.db, { kind: 'confirm', issuedAt, now: issuedAt, where: sql`id = ${id}` });
    const [row] = await t.db.select().from(transactionalMail).where(eq(transactionalMail.subscriberId, id!));
    expect(row?.idempotencyKey).toBe(mailKey('confirm', id!, issuedAt));
    expect(await queueMail(t.db, { kind: 'confirm', subscriberId: id!, issuedAt, now: issuedAt })).toBe(false);
    expect(await t.db.$count(transactionalMail)).toBe(1);
  });
});
