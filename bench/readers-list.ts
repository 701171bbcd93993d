/**
 * Server time of the desk's readers list (/admin/readers) at 100,000 readers, or 1,000,000 with
 * BENCH_MILLION=1: no filter, a search by address or name (rare and common), each filter
 * (status, topic, tag, source article), and a later page. Each request goes through app.request
 * (no network) 20 times after 3 warm-ups (10 with --quick); the table gives median and p95 of the wall time and the
 * median CPU time of the process.
 */
import { sql } from 'drizzle-orm';
import { createTestApp } from '../test/support/test-app';
import { signIn } from '../test/admin/support/desk';

const DAY = 24 * 3600 * 1000;

/** `measured`: requests timed per page after the 3 warm-ups (20; `--quick` passes 10). */
export async function benchReadersList(readers: number, measured = 20) {
  const t = await createTestApp();
  const now = t.deps.now();
  // One reader in 10 is a donor, one in 20 unsubscribed, one in 3 without the appeals topic;
  // sign-ups come from 200 articles.
  await t.db.run(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${readers})
    insert into subscribers (email, mailbox, name, status, wants_appeals, tags, consent_at, consent_source, created_at, updated_at)
    select 'reader-' || i || '@example.org', 'reader-' || i || '@example.org', 'Reader ' || i,
           case when i % 20 = 0 then 'unsubscribed' when i % 50 = 0 then 'pending' else 'active' end, i % 3 <> 0,
           case when i % 10 = 0 then '["donor","local"]' when i % 7 = 0 then '["local"]' else '[]' end,
           ${now} - (i % 84) * ${DAY}, 'https://news.example.org/2026/story-' || (i % 200), ${now}, ${now} from n`);
  const s = await signIn(t, { token: 'test-admin-token-0123456789abcdef' });
  const first = await t.app.request('/admin/readers?status=active', { headers: { cookie: s.cookie } });
  // The "Older →" link of a first page: what an editor follows to page 2; and from there the
  // "← Newer" link back.
  const link = async (path: string, rel: 'next' | 'prev') =>
    (await (await t.app.request(path, { headers: { cookie: s.cookie } })).text()).match(new RegExp(`rel="${rel}" href="([^"]+)"`))?.[1]?.replace(/&amp;/g, '&');
  const next = (await first.text()).match(/rel="next" href="([^"]+)"/)?.[1]?.replace(/&amp;/g, '&');
  // A dense address prefix (one reader in nine) with a common tag and a status: paged both ways.
  const denseTagged = '/admin/readers?q=reader-1&status=active&tag=donor';
  const denseNext = await link(denseTagged, 'next');
  const denseBack = denseNext ? await link(denseNext, 'prev') : undefined;
  const paths = [
    '/admin/readers',
    `/admin/readers?q=reader-${Math.floor(readers / 3)}@`,
    '/admin/readers?q=nobody-matches-this',
    '/admin/readers?q=Reader%201',
    '/admin/readers?status=pending',
    '/admin/readers?topic=appeals',
    '/admin/readers?tag=donor',
    '/admin/readers?source=https%3A%2F%2Fnews.example.org%2F2026%2Fstory-17',
    '/admin/readers?status=active&tag=donor&topic=appeals',
    ...(next ? [next] : []),
    '/admin/readers?q=reader-1&tag=donor',
    // The same dense prefix with a status or a source article and no tag: no tag index to read
    // through, the slowest of these at 1,000,000 readers (BENCHMARKS.md, 2 December).
    '/admin/readers?q=reader-1&status=active',
    '/admin/readers?q=reader-1&source=https%3A%2F%2Fnews.example.org%2F2026%2Fstory-17',
    denseTagged,
    ...(denseNext ? [denseNext] : []),
    ...(denseBack ? [denseBack] : []),
    '/admin/readers?q=%40example.org&tag=donor',
    '/admin/readers?q=reader-1&topic=appeals&tag=donor',
  ];
  const rows = [];
  for (const path of paths) {
    const times: number[] = [];
    const cpu: number[] = [];
    let shown = '';
    for (let i = 0; i < 3 + measured; i++) {
      const c0 = process.cpuUsage();
      const start = performance.now();
      const res = await t.app.request(path, { headers: { cookie: s.cookie } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      const c = process.cpuUsage(c0);
      if (i >= 3) {
        times.push(performance.now() - start);
        cpu.push((c.user + c.system) / 1000);
      }
      shown = html.match(/<h2 id="list-h"[^>]*>([^<]*)</)?.[1] ?? '';
    }
    times.sort((a, b) => a - b);
    rows.push({
      readers,
      page: path.length > 60 ? `${path.slice(0, 57)}…` : path,
      heading: shown.replace(/&middot;|·/g, '·'),
      'median ms': times[Math.floor(times.length / 2)]!.toFixed(1),
      'p95 ms': times[Math.floor(times.length * 0.95)]!.toFixed(1),
      // The process's CPU for one request: on a shared machine the wall time includes waiting for a core.
      'CPU median ms': [...cpu].sort((a, b) => a - b)[Math.floor(cpu.length / 2)]!.toFixed(1),
    });
  }
  t.close();
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.table(await benchReadersList(Number(process.argv[2] ?? 100_000)));
}
