import { afterEach, describe, expect, it } from 'vitest';
import { NODE_IMPORT_BATCH_ROWS } from '../../../src/node/deps';
import { threadImportReader } from '../../../src/node/import-thread';
import { IMPORT_BATCH_ROWS } from '../../../src/subscribers/import/run-import';
import { createTestApp, type TestApp } from '../../support/test-app';
import { fixture, importCsv, messyFile } from './support';

/**
 * On Node an import writes NODE_IMPORT_BATCH_ROWS rows per transaction (src/node/deps.ts), on
 * Workers IMPORT_BATCH_ROWS. Where the batches end must change nothing a user can see: the
 * answers, the readers, their events and confirmation emails, and what the triggers keep (the
 * running totals and the tag index), which must also equal the same numbers counted afresh.
 */
const apps: TestApp[] = [];
afterEach(() => {
  for (const t of apps.splice(0)) t.close();
});

const rowsOf = async (t: TestApp, sql: string) => (await t.client.execute(sql)).rows.map((r) => ({ ...r }));

/** Everything an import writes; events and emails without their ids, whose order follows the batches' statements. */
const dump = async (t: TestApp) => ({
  subscribers: await rowsOf(t, 'select * from subscribers order by id'),
  events: await rowsOf(t, 'select subscriber_id, type, detail, ip, created_at from subscriber_events order by subscriber_id, created_at, type, detail'),
  mail: await rowsOf(t, 'select subscriber_id, kind, idempotency_key, status from transactional_mail order by idempotency_key'),
  counts: await rowsOf(t, 'select status, n from subscriber_counts where n <> 0 order by status'),
  days: await rowsOf(t, 'select day, n from signup_days where n <> 0 order by day'),
  sources: await rowsOf(t, 'select day, no_source, source, signups, confirmed, active from signup_sources where signups <> 0 order by day, no_source, source'),
  tags: await rowsOf(t, 'select tag, subscriber_id from subscriber_tags order by tag, subscriber_id'),
});

/** The kept totals counted afresh from the readers, as dump() names them. */
const fresh = async (t: TestApp) => ({
  counts: await rowsOf(t, 'select status, count(*) as n from subscribers group by status order by status'),
  days: await rowsOf(t, 'select consent_at / 86400000 as day, count(*) as n from subscribers where consent_at is not null group by 1 order by 1'),
  sources: await rowsOf(
    t,
    `select consent_at / 86400000 as day, consent_source is null as no_source, coalesce(consent_source, '') as source, count(*) as signups,
       count(confirmed_at) as confirmed, sum(status = 'active') as active
     from subscribers where consent_at is not null group by 1, 2, 3 order by 1, 2, 3`,
  ),
  tags: await rowsOf(t, "select t.value as tag, s.id as subscriber_id from subscribers s, json_each(s.tags) t order by 1, 2"),
});

describe('an import written in Node’s larger batches', () => {
  it('answers and writes what one written in Workers’ batches does, and its totals equal fresh counts', async () => {
    expect(NODE_IMPORT_BATCH_ROWS).toBeGreaterThan(IMPORT_BATCH_ROWS);
    const workers = await createTestApp();
    const node = await createTestApp({ importReader: threadImportReader, importBatchRows: NODE_IMPORT_BATCH_ROWS });
    apps.push(workers, node);
    // More readers than one of Node’s batches; then the same again with other tags (every tagged
    // reader updated), a Mailchimp unsubscribed file (readers suppressed) and a plain file with
    // confirmations (readers added as pending, each with an email).
    const first = messyFile(5000);
    const files: [string, string | Uint8Array, string][] = [
      ['messy.csv', first, 'consent=affirmed'],
      ['messy.csv', first.replaceAll('donor;', 'local;'), ''],
      ['mailchimp-unsubscribed.csv', fixture('mailchimp-unsubscribed.csv'), ''],
      ['plain.csv', fixture('plain.csv'), 'confirm=send'],
    ];
    for (const [name, body, query] of files) {
      const q = `file=${name}${query ? `&${query}` : ''}`;
      const [a, b] = [await importCsv(workers, body, q), await importCsv(node, body, q)];
      expect(b.status).toBe(200);
      expect(await b.json()).toEqual(await a.json());
      await workers.settle();
      await node.settle();
    }
    const written = await dump(node);
    expect(written.subscribers.length).toBeGreaterThan(NODE_IMPORT_BATCH_ROWS);
    expect(written.tags.length).toBeGreaterThan(0);
    expect(written).toEqual(await dump(workers));
    const { counts, days, sources, tags } = written;
    expect({ counts, days, sources, tags }).toEqual(await fresh(node));
  });
});
