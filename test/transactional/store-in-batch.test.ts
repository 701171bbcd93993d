/**
 * With the outbox mailer a transactional email is stored and recorded as sent in one batch
 * (src/transactional/deliver.ts, storedAndFinished). When the database refuses that batch, the
 * email still goes out the usual way, exactly once, and the operator is told why.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database';
import { OutboxMailer } from '../../src/mailer/outbox-mailer';
import { createTestApp, type TestApp } from '../support/test-app';

/** The outbox, whose one-batch store is a statement the database refuses. */
class RefusedBatchMailer extends OutboxMailer {
  constructor(private readonly database: Database) {
    super(database);
  }
  override storeInBatch(db: unknown) {
    if (db !== this.database) return undefined;
    return { item: this.database.run(sql`insert into no_such_table (id) values (1)`), id: () => undefined };
  }
}

let t: TestApp;
afterEach(() => t.close());

describe('a transactional email whose one-batch store fails', () => {
  it('is sent once the usual way, and the failure is logged', async () => {
    t = await createTestApp({ mailer: ({ db }) => new RefusedBatchMailer(db) });
    const res = await t.app.request('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'stored@example.org' }),
    });
    expect(res.status).toBe(202);
    await t.settle();

    expect((await t.outbox()).map((m) => m.to)).toEqual(['stored@example.org']);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'storing a transactional email failed; sending it the usual way',
        fields: expect.objectContaining({ kind: 'confirm', error: expect.stringContaining('no_such_table') }),
      }),
    );
  });
});
