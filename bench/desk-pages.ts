/**
 * Server time of the desk's main pages with 100,000 readers: a database with 100,000 readers
 * (sign-ups spread over 12 weeks), a sent digest whose ledger holds all of them (half delivered,
 * some bounced, complained and clicked), 40 articles, and a draft digest. Each page is asked
 * through app.request (no network) 30 times after 3 warm-ups; the table gives median and p95.
 * The link check of the preflight is left out (it waits on other servers, not on Broadside).
 */
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/support/test-app';
import { seedArticles } from '../test/support/factories';
import { signIn } from '../test/admin/support/desk';

const FULL_READERS = 100_000;
const DAY = 24 * 3600 * 1000;

/** `quick`: 10,000 readers, to check the benchmark runs; the target is measured at the full size. */
export async function benchDeskPages(quick = false) {
  const READERS = quick ? 10_000 : FULL_READERS;
  const t = await createTestApp();
  const now = t.deps.now();
  await t.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${READERS})
    insert into subscribers (email, status, consent_at, consent_source, confirmed_at, created_at, updated_at)
    select 'reader-' || i || '@example.org', case when i % 20 = 0 then 'unsubscribed' when i % 50 = 0 then 'pending' else 'active' end,
           ${now} - (i % 84) * ${DAY}, 'https://news.example.org/2026/story-' || (i % 40), 0, 0, 0 from n`);
  const articles = await seedArticles(t.db, 40, now);
  const [sent] = await t.db.all<{ id: number }>(sql`insert into campaigns (kind, status, subject, topic, content, started_at, finished_at, audience_count)
    values ('digest', 'sent', 'Last week', 'digest', ${JSON.stringify({ kind: 'digest', intro: '', articleIds: articles.slice(0, 10).map((a) => a.id), featuredId: null, appealBlock: null })}, ${now - DAY}, ${now - DAY}, ${READERS}) returning id`);
  await t.db.run(sql`insert into deliveries (campaign_id, subscriber_id, chunk, status, sent_at, delivered_at, bounced_at, complained_at)
    select ${sent!.id}, id, (id - 1) / 100, 'sent', ${now - DAY}, case when id % 2 = 0 then ${now - DAY} end,
           case when id % 97 = 0 then ${now - DAY} end, case when id % 1999 = 0 then ${now - DAY} end from subscribers`);
  await t.db.run(sql`insert into campaign_links (campaign_id, position, url) values (${sent!.id}, 1, 'https://news.example.org/a'), (${sent!.id}, 2, 'https://news.example.org/b')`);
  await t.db.run(sql`insert into link_clicks (link_id, campaign_id, subscriber_id, clicks, first_at, last_at)
    select 1 + (id % 2), ${sent!.id}, id, 1, ${now}, ${now} from subscribers where id % 13 = 0`);
  const draft = await (await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify({ kind: 'digest', articleIds: articles.slice(0, 8).map((a) => a.id) }) })).json();
  const s = await signIn(t, { token: 'test-admin-token-0123456789abcdef' });

  const pages = ['/admin', '/admin/campaigns', `/admin/campaigns/${draft.id}`, `/admin/campaigns/${draft.id}/preview`, `/admin/campaigns/${sent!.id}/results`, '/admin/results', '/admin/articles', '/admin/audit'];
  const rows = [];
  for (const path of pages) {
    const times: number[] = [];
    for (let i = 0; i < 33; i++) {
      const start = performance.now();
      const res = await t.app.request(path, { headers: { cookie: s.cookie } });
      await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      if (i >= 3) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    rows.push({ page: path, 'median ms': times[Math.floor(times.length / 2)]!.toFixed(1), 'p95 ms': times[Math.floor(times.length * 0.95)]!.toFixed(1) });
  }
  t.close();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchDeskPages());
}
