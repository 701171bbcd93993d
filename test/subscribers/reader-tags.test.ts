import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { bulkTag } from '../../src/subscribers/bulk-tags';
import { seedReaders } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { importJson } from './import/support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** subscriber_tags, and the tags the readers' JSON holds, as "tag:id" each, sorted. */
async function indexAndRecord() {
  const index = await t.db.all<{ p: string }>(sql`select tag || ':' || subscriber_id as p from subscriber_tags order by 1`);
  const record = await t.db.all<{ p: string }>(sql`select t.value || ':' || s.id as p from subscribers s, json_each(s.tags) t order by 1`);
  return { index: index.map((r) => r.p), record: record.map((r) => r.p) };
}

describe('subscriber_tags, the index of readers\u2019 tags', () => {
  it('holds exactly the tags of subscribers.tags through the editor, bulk tagging, an import and a delete', async () => {
    await seedReaders(t.db, 3, { prefix: 'plain' });
    expect((await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'bo@tags.example', status: 'active' }) })).status).toBe(201);
    const [donor] = await seedReaders(t.db, 2, { prefix: 'seeded', tags: ['donor', 'press'] });
    const add = await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email: 'ed@tags.example', status: 'active', tags: ['Volunteer', 'donor'] }) });
    expect(add.status).toBe(201);
    const ed = (await add.json()).id as number;
    expect((await indexAndRecord()).index).toContain(`volunteer:${ed}`);

    expect((await t.admin(`/admin/api/subscribers/${ed}`, { method: 'PATCH', body: JSON.stringify({ tags: ['press'] }) })).status).toBe(200);
    expect(await bulkTag(t.db, { emails: ['ed@tags.example', 'BO@tags.example'], add: ['paid'], remove: ['press'], now: 1 })).toMatchObject({ changed: 2 });
    await importJson(t, 'email,name,tags\nnew.one@tags.example,New One,"donor,paid"\ned@tags.example,Ed,volunteer\n', 'consent=affirmed');
    await t.db.run(sql`update subscribers set tags = '[]' where id = ${donor}`);
    await t.db.run(sql`delete from subscribers where tags like '%press%'`);

    const { index, record } = await indexAndRecord();
    expect(record.length).toBeGreaterThan(3);
    expect(index).toEqual(record);
    expect(record.some((p) => p.startsWith('volunteer:'))).toBe(true); // the import added it
    expect(record.some((p) => p === `paid:${ed}`)).toBe(true); // bulk tagging added it
  });
});
