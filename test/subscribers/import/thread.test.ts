import { afterEach, describe, expect, it } from 'vitest';
import { threadImportReader } from '../../../src/node/import-thread';
import { packEntries, unpackEntries } from '../../../src/node/packed-entries';
import { readChecked } from '../../../src/subscribers/import/checked-rows';
import { AppError } from '../../../src/errors';
import { createTestApp, type TestApp } from '../../support/test-app';
import { fixture, importCsv, messyFile } from './support';

/**
 * On Node an import reads and checks its rows in a worker thread (src/node/import-thread.ts);
 * on Workers, and in the other import tests, in the request's thread. Both must give the same
 * answers and write the same rows.
 */
const apps: TestApp[] = [];
afterEach(() => {
  for (const t of apps.splice(0)) t.close();
});

async function both() {
  const here = await createTestApp();
  const thread = await createTestApp({ importReader: threadImportReader });
  apps.push(here, thread);
  return [here, thread] as const;
}

const dump = async (t: TestApp) => {
  const out: Record<string, unknown> = {};
  for (const table of ['subscribers', 'subscriber_events', 'transactional_mail']) {
    out[table] = (await t.client.execute(`select * from ${table} order by id`)).rows;
  }
  return out;
};

describe('import with its rows read in a worker thread', () => {
  it('answers and writes exactly what an import in one thread does, for every format and a messy file', async () => {
    const [here, thread] = await both();
    const files: [string, string | Uint8Array, string][] = [
      ['ghost.csv', fixture('ghost.csv'), ''],
      ['listmonk.csv', fixture('listmonk.csv'), ''],
      ['mailchimp-subscribed.csv', fixture('mailchimp-subscribed.csv'), ''],
      ['mailchimp-unsubscribed.csv', fixture('mailchimp-unsubscribed.csv'), ''],
      ['substack.csv', fixture('substack.csv'), ''],
      ['plain.csv', fixture('plain.csv'), 'confirm=send'],
      // More rows than the worker may post ahead of the writing, so it waits for the writes.
      ['messy.csv', messyFile(3000), 'consent=affirmed'],
      ['messy.csv', messyFile(3000), ''],
      ['latin.csv', new Uint8Array([...Buffer.from('email;name\r\n'), ...Buffer.from('latin@example.org;Ren'), 0xe9, 0x0d, 0x0a]), 'consent=affirmed'],
    ];
    for (const [name, body, query] of files) {
      const q = `file=${name}${query ? `&${query}` : ''}`;
      const [a, b] = [await importCsv(here, body, q), await importCsv(thread, body, q)];
      expect(b.status).toBe(200);
      expect(await b.json()).toEqual(await a.json());
      // The confirmation emails (confirm=send) go out after the answer: before the next import in both.
      await here.settle();
      await thread.settle();
    }
    expect(await dump(thread)).toEqual(await dump(here));
  });

  it('hands over each checked entry exactly as read: every value, null and undefined, through the packed form', async () => {
    const files = ['ghost.csv', 'listmonk.csv', 'mailchimp-subscribed.csv', 'mailchimp-unsubscribed.csv', 'substack.csv', 'plain.csv'].map(fixture);
    const kinds = new Set<string>();
    const broken = 'email,name\na@example.org,"Ann"x\nb@example.org,B\nc@example.org,"never closed\n';
    for (const body of [...files, messyFile(700), broken]) {
      const file = await readChecked(new Blob([body]).stream(), {});
      for await (const group of file.entries) {
        for (const e of group) kinds.add(e.kind);
        // toStrictEqual: a field left undefined must not come back as null, nor the keys in another order.
        const back = unpackEntries(packEntries(group));
        expect(back).toStrictEqual(group);
        back.forEach((e, i) => {
          const before = group[i]!;
          if (e.kind === 'row' && before.kind === 'row') expect(Object.keys(e.row)).toEqual(Object.keys(before.row));
        });
      }
    }
    // The files hold every kind of entry: rows, refused records and rows that are not CSV.
    expect([...kinds].sort()).toEqual(['problem', 'refused', 'row']);
  });

  it('refuses a file that is not CSV with the same 400', async () => {
    const [here, thread] = await both();
    for (const body of ['%PDF-1.7 not a list', '', '{"email": "json@example.org"}', 'name\nno address column\n']) {
      const [a, b] = [await importCsv(here, body), await importCsv(thread, body)];
      expect(a.status).toBe(400);
      expect([b.status, await b.json()]).toEqual([a.status, await a.json()]);
    }
  });

  it('keeps overlapping imports apart: each gets its own file’s rows, as in one thread', async () => {
    const files = [messyFile(1200), messyFile(300), 'email,name\nsolo@example.org,Solo\n'];
    const rowsOf = async (read: typeof readChecked, csv: string) => {
      const file = await read(new Blob([csv]).stream(), {});
      const out = [];
      for await (const group of file.entries) out.push(...group);
      return { header: file.header, out };
    };
    const expected = await Promise.all(files.map((csv) => rowsOf(readChecked, csv)));
    expect(await Promise.all(files.map((csv) => rowsOf(threadImportReader, csv)))).toEqual(expected);
  });

  it('throws an upload that fails as the error it is, not as a worker error', async () => {
    const failure = new Error('the connection was lost');
    let sent = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent) return controller.error(failure);
        sent = true;
        controller.enqueue(new TextEncoder().encode('email,name\nfirst@example.org,First\n'));
      },
    });
    const read = async () => {
      const file = await threadImportReader(body, {});
      for await (const group of file.entries) void group;
    };
    await expect(read()).rejects.toBe(failure);
    await expect(threadImportReader(new Blob(['%PDF-1.4']).stream(), {})).rejects.toBeInstanceOf(AppError);
  });
});
