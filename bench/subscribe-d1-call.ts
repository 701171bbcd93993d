/**
 * What one D1 call costs workerd's thread in miniflare, apart from the Worker's own work: a bare
 * Worker that parses the same JSON and answers 202 after `calls` D1 batches of one statement
 * (`select 1`, or with `write` an insert, which commits), CPU of the workerd process per request,
 * D1's file in miniflare's temporary directory (disk) or, with `shm`, on /dev/shm.
 *
 *   npx tsx bench/subscribe-d1-call.ts [seconds]
 */
import { Miniflare } from 'miniflare';
import { childCpuMs } from './cpu-meter';
import { measured } from './subscribe-load';

const seconds = Number(process.argv[2] ?? 5);
const script = `export default { async fetch(request, env) {
  const body = await request.json();
  const calls = Number(new URL(request.url).searchParams.get('calls'));
  const write = new URL(request.url).searchParams.get('write') === '1';
  for (let i = 0; i < calls; i++) {
    if (write) await env.DB.batch([env.DB.prepare('insert into t (email) values (?)').bind(body.email ?? 'x')]);
    else await env.DB.batch([env.DB.prepare('select 1')]);
  }
  return Response.json({ ok: true }, { status: 202 });
} }`;

const rows: Record<string, string>[] = [];
for (const where of ['disk', 'shm'] as const) {
  const mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2026-04-20',
    host: '127.0.0.1',
    port: 0,
    d1Databases: ['DB'],
    ...(where === 'shm' ? { d1Persist: `/dev/shm/broadside-d1-call-${process.pid}` } : {}),
  });
  try {
    const url = (await mf.ready).toString().replace(/\/$/, '');
    await (await mf.getD1Database('DB')).exec('create table t (id integer primary key, email text)');
    for (const [calls, write] of [[0, 0], [1, 0], [2, 0], [1, 1], [2, 1]] as const) {
      const r = await measured(async () => childCpuMs('workerd'), { url: `${url}/?calls=${calls}&write=${write}`, seconds, connections: 10 });
      rows.push({ where, calls: String(calls), statement: write ? 'insert' : 'select 1', 'req/s': String(r.requestsPerSecond), 'CPU ms per request': String(r.cpuPerRequestMs) });
    }
  } finally {
    await mf.dispose();
  }
}
console.table(rows);
