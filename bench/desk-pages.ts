/**
 * Server time of the desk's pages an editor opens often, on a list the size of a real one:
 * readers who signed up over half a year (each with a sign-up and a confirmation event), sent
 * campaigns whose ledgers hold the whole list at realistic proportions (97% delivered, 1.5%
 * bounced, 0.03% complaints, 4% of readers clicking one or two links, 0.2% unsubscribing with
 * the campaign's link), 40 articles and a draft digest.
 *
 * Each page is asked through app.request (no network) 30 times after 3 warm-ups (10 with --quick); the table gives
 * the median and p95 of the wall time and the median CPU time of the process for one request
 * (user + system: on a shared machine the wall time includes waiting for a core, the CPU time
 * does not). The link check of the preflight is left out (it waits on other servers).
 *
 * Sizes: --quick 10,000 readers and 2 campaigns; the full run 100,000 readers and 5 campaigns
 * (issue 12); BENCH_MILLION=1 1,000,000 readers and 10 campaigns (issue 14: 10 million ledger
 * rows, about 3 minutes to build and 4 GB of memory).
 */
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/support/test-app';
import { seedArticles } from '../test/support/factories';
import { signIn } from '../test/admin/support/desk';

const DAY = 24 * 3600 * 1000;

export interface DeskSize {
  readers: number;
  campaigns: number;
}

export const deskSize = (quick: boolean): DeskSize =>
  quick ? { readers: 10_000, campaigns: 2 } : process.env.BENCH_MILLION ? { readers: 1_000_000, campaigns: 10 } : { readers: 100_000, campaigns: 5 };

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Fills an empty test app with `size`; returns the ids the pages need. */
export async function seedDesk(t: TestApp, size: DeskSize) {
  const now = t.deps.now();
  const R = size.readers;
  // Sign-ups spread over 180 days; 5% unsubscribed, 2% still pending.
  await t.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${R})
    insert into subscribers (email, mailbox, status, consent_at, consent_source, confirmed_at, unsubscribed_at, created_at, updated_at)
    select 'reader-' || i || '@example.org', 'reader-' || i || '@example.org',
           case when i % 20 = 0 then 'unsubscribed' when i % 50 = 1 then 'pending' else 'active' end,
           ${now} - (i % 180) * ${DAY} - i % 1000, 'https://news.example.org/2026/story-' || (i % 40) || case when i % 7 = 0 then '?utm_source=x' else '' end,
           case when i % 50 = 1 then null else ${now} - (i % 180) * ${DAY} end,
           case when i % 20 = 0 then ${now} - ${DAY} end, 0, 0 from n`);
  await t.db.run(sql`insert into subscriber_events (subscriber_id, type, detail, created_at)
    select id, 'subscribe_requested', json_object('source', consent_source), consent_at from subscribers`);
  await t.db.run(sql`insert into subscriber_events (subscriber_id, type, detail, created_at)
    select id, 'confirmed', null, confirmed_at from subscribers where confirmed_at is not null`);
  const articles = await seedArticles(t.db, 40, now);
  const content = JSON.stringify({ kind: 'digest', intro: '', articleIds: articles.slice(0, 10).map((a) => a.id), featuredId: null, appealBlock: null });
  const sent: number[] = [];
  for (let k = 0; k < size.campaigns; k++) {
    const at = now - (size.campaigns - k) * 7 * DAY;
    const [c] = await t.db.all<{ id: number }>(sql`insert into campaigns (kind, status, subject, topic, content, started_at, finished_at, audience_count)
      values ('digest', 'sent', ${`Week ${k + 1}`}, 'digest', ${content}, ${at}, ${at}, ${R}) returning id`);
    const id = c!.id;
    sent.push(id);
    // (id * 7 + k) varies which readers bounce or click from one campaign to the next.
    await t.db.run(sql`insert into deliveries (campaign_id, subscriber_id, chunk, status, sent_at, delivered_at, bounced_at, complained_at)
      select ${id}, id, (id - 1) / 100, 'sent', ${at},
             case when (id * 7 + ${k}) % 200 >= 6 then ${at} end,
             case when (id * 7 + ${k}) % 200 < 3 then ${at} end,
             case when (id * 7 + ${k}) % 3333 = 10 then ${at} end from subscribers`);
    await t.db.run(sql`insert into campaign_links (campaign_id, position, url) values (${id}, 1, 'https://news.example.org/a'), (${id}, 2, 'https://news.example.org/b'), (${id}, 3, 'https://news.example.org/c')`);
    await t.db.run(sql`insert into link_clicks (link_id, campaign_id, subscriber_id, clicks, first_at, last_at)
      select l.id, ${id}, s.id, 1 + s.id % 3, ${at}, ${at} from subscribers s join campaign_links l on l.campaign_id = ${id}
      where (s.id * 7 + ${k}) % 25 = 0 and (l.position = 1 or (l.position = 2 and s.id % 2 = 0))`);
    await t.db.run(sql`insert into subscriber_events (subscriber_id, type, detail, created_at)
      select id, 'unsubscribed', json_object('method', 'link', 'actor', 'reader', 'campaignId', ${id}), ${at} from subscribers where (id * 7 + ${k}) % 500 = 0`);
  }
  const draft = await (await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', articleIds: articles.slice(0, 8).map((a) => a.id) }) })).json();
  return { draftId: draft.id as number, sentIds: sent };
}

export const deskPages = (ids: { draftId: number; sentIds: number[] }) => [
  '/admin',
  '/admin/campaigns',
  `/admin/campaigns/${ids.draftId}`,
  `/admin/campaigns/${ids.draftId}/preview`,
  `/admin/campaigns/${ids.draftId}/send`,
  `/admin/campaigns/${ids.sentIds.at(-1)}`,
  `/admin/campaigns/${ids.sentIds.at(-1)}/results`,
  `/admin/campaigns/${ids.sentIds.at(-1)}/preview`,
  '/admin/results',
  '/admin/articles',
  '/admin/audit',
  '/admin/readers',
  '/admin/readers?q=reader-4242',
  '/admin/readers?status=unsubscribed&page=3',
];

/**
 * BENCH_DESK_DB=path keeps the seeded desk in that file and uses it again on the next run (at
 * 1,000,000 readers the seed takes about 10 minutes); migrations added since apply on opening.
 * The file is read through a large page cache and memory map, so that a warm file behaves like
 * the in-memory database of a run without it.
 */
async function openDesk(size: DeskSize) {
  const file = process.env.BENCH_DESK_DB;
  if (!file) {
    const t = await createTestApp();
    return { t, ids: await seedDesk(t, size), reused: false };
  }
  const t = await createTestApp({ databaseFile: file });
  await t.client.execute('PRAGMA cache_size = -2000000');
  await t.client.execute('PRAGMA mmap_size = 8000000000');
  const readers = Number((await t.client.execute('select count(*) as n from subscribers')).rows[0]!.n);
  if (readers === 0) return { t, ids: await seedDesk(t, size), reused: false };
  if (readers !== size.readers) throw new Error(`BENCH_DESK_DB ${file} holds ${readers} readers, not ${size.readers}: remove it or pick another file`);
  const sent = (await t.client.execute("select id from campaigns where status = 'sent' order by id")).rows.map((r) => Number(r.id));
  const draft = (await t.client.execute("select id from campaigns where status = 'draft' order by id desc limit 1")).rows[0]!;
  return { t, ids: { draftId: Number(draft.id), sentIds: sent }, reused: true };
}

export async function benchDeskPages(quick = false) {
  const size = deskSize(quick);
  const seedStart = performance.now();
  const { t, ids, reused } = await openDesk(size);
  const seedMs = performance.now() - seedStart;
  if (reused) console.log(`(the seeded desk in ${process.env.BENCH_DESK_DB}, opened in ${(seedMs / 1000).toFixed(1)} s)`);
  // The send page's link check asks the links' servers; here they answer at once.
  t.deps.fetch = async () => new Response(null, { status: 200 });
  const s = await signIn(t, { token: 'test-admin-token-0123456789abcdef' });
  const rows = [];
  for (const path of deskPages(ids)) {
    const wall: number[] = [];
    const cpu: number[] = [];
    // --quick: a median of 10 still, a rougher p95.
    for (let i = 0; i < (quick ? 13 : 33); i++) {
      const c0 = process.cpuUsage();
      const start = performance.now();
      const res = await t.app.request(path, { headers: { cookie: s.cookie } });
      await res.text();
      const w = performance.now() - start;
      const c = process.cpuUsage(c0);
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i >= 3) {
        wall.push(w);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const p95 = [...wall].sort((a, b) => a - b)[Math.floor(wall.length * 0.95)]!;
    rows.push({ page: path, 'median ms': med(wall).toFixed(1), 'p95 ms': p95.toFixed(1), 'CPU median ms': med(cpu).toFixed(1) });
  }
  t.close();
  return { size, seedMs, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDeskPages(process.argv.includes('--quick'));
  console.log(`${r.size.readers} readers, ${r.size.campaigns} sent campaigns, seeded in ${(r.seedMs / 1000).toFixed(1)} s`);
  console.table(r.rows);
}
