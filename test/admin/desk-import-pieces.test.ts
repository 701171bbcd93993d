import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { importJson } from '../subscribers/import/support';
import { addAccount, postForm, sameOrigin, signInAs } from './support/desk';

/**
 * The desk's import in pieces over HTTP (/admin/readers/import/piece and /summary): a file sent
 * as pieces, each with the header row, the run and its line offset, ends the same as the file
 * in one request (counts, refused lines, readers, their history); a piece sent again counts the
 * same and writes nothing twice; every piece keeps the desk's CSRF and role checks.
 * The page's script that cuts the file is tested in Chromium (test/browser/desk-import-pieces.test.ts).
 */
let one: TestApp;
let split: TestApp;
beforeEach(async () => {
  [one, split] = await Promise.all([createTestApp(), createTestApp()]);
});
afterEach(() => {
  one.close();
  split.close();
});

const header = 'email,name,address,tags';
// Records, some of several lines (a quoted address); a repeat of ann in another piece, with other
// data (one request counts it once, at its first line, and ignores the rest); bad rows.
const records = [
  'ann@river.example,Ann,"1 Mill Lane\nRiverside",donor',
  'bo@river.example,Bo,"2 Mill Lane\r\nFlat 3\r\nRiverside",',
  'not an address,Broken,,',
  'kept@river.example,Kept,"4 Quay\nRiverside",local',
  'left@river.example,Left,,',
  ...Array.from({ length: 12 }, (_, i) => `r${i}@river.example,Reader ${i},"${i} High St\nRiverside",${i % 2 ? 'local' : ''}`),
  'ANN@river.example,Ann Again,"9 Elsewhere\nTown",council',
  'also bad,,,',
  'cy@river.example,"Cy ""the"" Reader","5 Bank\nRiverside",',
];
const lines = (s: string) => s.split(/\r\n|\n/).length;
const address = (r: string) => r.split(',')[0]!.toLowerCase();
/**
 * Pieces cut after the given records; each with the header, the offset of its first line and,
 * as the desk script sends them, the earlier rows whose address it repeats.
 */
function pieces(cuts: number[]) {
  const out: { csv: string; lineOffset: number; earlier?: string }[] = [];
  let at = 0;
  let line = 1;
  for (const end of [...cuts, records.length]) {
    const part = records.slice(at, end);
    const mine = new Set(part.map(address));
    const earlier = records.slice(0, at).filter((r) => mine.has(address(r)));
    out.push({ csv: `${header}\r\n${part.join('\r\n')}\r\n`, lineOffset: line - 1, ...(earlier.length ? { earlier: `${header}\r\n${earlier.join('\r\n')}\r\n` } : {}) });
    line += part.reduce((n, r) => n + lines(r), 0);
    at = end;
  }
  return out;
}
const whole = `${header}\r\n${records.join('\r\n')}\r\n`;

async function seed(t: TestApp) {
  await importJson(t, 'email,name,tags\nkept@river.example,Kept,print\n', 'consent=affirmed');
  await importJson(t, 'email\nleft@river.example\n', 'status=unsubscribed');
  // The file comes later than these readers (a run's time is what tells its own writes).
  t.advance(60_000);
}
type Session = { cookie: string; csrf: string };
async function editorOf(t: TestApp) {
  await addAccount(t, 'editor@news.example.org', 'editor');
  return signInAs(t, 'editor@news.example.org');
}
function piece(t: TestApp, s: Session, p: { csv: string; lineOffset: number; earlier?: string }, run: number, headers: Record<string, string> = { 'x-csrf-token': s.csrf }) {
  const form = new FormData();
  form.set('consent', 'affirmed');
  form.set('run', String(run));
  form.set('lineOffset', String(p.lineOffset));
  if (p.earlier) form.set('earlier', p.earlier);
  form.set('file', new File([p.csv], 'members.csv', { type: 'text/csv' }));
  return t.app.request('/admin/readers/import/piece', { method: 'POST', headers: { cookie: s.cookie, ...sameOrigin, ...headers }, body: form });
}
const state = async (t: TestApp) => ({
  readers: (
    await t.client.execute(
      'select email, name, status, tags, consent_at, consent_source, consent_wording, confirmed_at, unsubscribed_at, created_at, updated_at from subscribers order by email',
    )
  ).rows,
  events: (await t.client.execute('select s.email, e.type, e.detail, e.created_at from subscriber_events e join subscribers s on s.id = e.subscriber_id order by s.email, e.id')).rows,
});
const counts = ['rows', 'added', 'updated', 'unchanged', 'suppressed', 'skipped', 'duplicates', 'refusedCount', 'refused'] as const;
const pick = (o: Record<string, unknown>) => Object.fromEntries(counts.map((k) => [k, o[k]]));
function add(parts: Record<string, unknown>[]) {
  const total: Record<string, unknown> = {};
  for (const k of counts) total[k] = k === 'refused' ? parts.flatMap((p) => p.refused as unknown[]) : parts.reduce((n, p) => n + (p[k] as number), 0);
  return total;
}

describe('an import in pieces', () => {
  it('ends as the file in one request: the same counts, refused lines, readers and history', async () => {
    await Promise.all([seed(one), seed(split)]);
    const inOne = await importJson(one, whole, 'consent=affirmed&file=members.csv');
    expect(inOne).toMatchObject({ added: 15, updated: 1, suppressed: 1, duplicates: 1, refusedCount: 2 });

    const s = await editorOf(split);
    const run = split.deps.now();
    const answers = [];
    // Cut so that ann's repeat and her first line are in different pieces.
    for (const p of pieces([2, 9, 16])) {
      const res = await piece(split, s, p, run);
      expect(res.status).toBe(200);
      answers.push(await res.json());
    }
    expect(add(answers)).toEqual(pick(inOne));
    expect(inOne.refused.map((r: { line: number }) => r.line)).toEqual([7, 37]);
    expect(await state(split)).toEqual(await state(one));
    // One audit entry per piece, each with its own counts.
    const audit = (await split.client.execute(`select detail from audit_log where action = 'subscribers.imported' and detail like '%"piece"%' order by id`)).rows;
    expect(audit).toHaveLength(4);
  });

  it('a piece sent again (its answer lost) counts as it did and writes nothing twice', async () => {
    await seed(split);
    const s = await editorOf(split);
    const run = split.deps.now();
    const [a, b, c] = pieces([6, 17]);
    const first = await (await piece(split, s, a!, run)).json();
    const second = await (await piece(split, s, b!, run)).json();
    const before = await state(split);
    const again = await (await piece(split, s, b!, run)).json();
    expect(again).toEqual(second);
    expect(await state(split)).toEqual(before);
    const last = await (await piece(split, s, c!, run)).json();
    expect(add([first, second, last]).rows).toBe(records.length);
    expect(last.duplicates).toBe(1);
    const outbox = await split.client.execute('select count(*) as n from transactional_mail');
    expect(outbox.rows[0]!.n).toBe(0);
  });

  it('a later import of the same file, in pieces, changes nothing', async () => {
    const s = await editorOf(split);
    for (const p of pieces([10])) await piece(split, s, p, split.deps.now());
    const before = await state(split);
    split.advance(60_000);
    const again = [];
    for (const p of pieces([4, 12])) again.push(await (await piece(split, s, p, split.deps.now())).json());
    expect(add(again)).toMatchObject({ added: 0, updated: 0, unchanged: 17, duplicates: 1 });
    expect(await state(split)).toEqual(before);
  });

  it('keeps the desk’s checks on every piece: CSRF, origin, role, run, size', async () => {
    const s = await editorOf(split);
    const run = split.deps.now();
    const [p] = pieces([]);
    expect((await piece(split, s, p!, run, {})).status).toBe(403);
    expect((await piece(split, s, p!, run, { 'x-csrf-token': s.csrf, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    await addAccount(split, 'viewer@news.example.org', 'viewer');
    const v = await signInAs(split, 'viewer@news.example.org');
    expect((await piece(split, v, p!, run)).status).toBe(403);
    const old = await piece(split, s, p!, run - 25 * 3600 * 1000);
    expect(old.status).toBe(400);
    expect((await old.json()).error).toContain('more than a day ago');
    expect((await piece(split, s, p!, run + 1)).status).toBe(400);
    const wrong = await piece(split, s, { csv: 'name\nAnn\n', lineOffset: 0 }, run);
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toContain('No email column');
    const big = { csv: `email,name\n${'x@river.example,'.padEnd(100, 'y').concat('\n').repeat(90_000)}`, lineOffset: 0 };
    expect((await piece(split, s, big, run)).status).toBe(413);
    expect((await split.client.execute('select count(*) as n from subscribers')).rows[0]!.n).toBe(0);
  });

  it('renders the added-up summary as the one-request import does', async () => {
    const s = await editorOf(split);
    const summary = { format: 'plain', rows: 40, added: 30, updated: 2, unchanged: 3, suppressed: 1, skipped: 1, duplicates: 1, refusedCount: 2, confirmationsQueued: 0, refused: [{ line: 6, reason: 'bad' }, { line: 39, reason: 'worse' }] };
    const res = await postForm(split, s, '/admin/readers/import/summary', { summary: JSON.stringify(summary) });
    const html = await res.text();
    expect(html).toMatch(/data-figure="added"><strong>30<\/strong>/);
    expect(html).toMatch(/<td class="num">39<\/td><td>worse<\/td>/);
    expect(html).toContain('Download the refused rows (CSV)');
    expect((await postForm(split, s, '/admin/readers/import/summary', { summary: '{"rows":-1}' })).status).toBe(400);
  });

  it('reads no more of a summary or of refused rows than they can hold (not a whole file’s 32 MB)', async () => {
    const s = await editorOf(split);
    const padding = 'x'.repeat(9 * 1024 * 1024);
    for (const [path, field] of [['/admin/readers/import/summary', 'summary'], ['/admin/readers/import/refused', 'refused']] as const) {
      const res = await postForm(split, s, path, { [field]: padding });
      expect(res.status).toBe(413);
    }
    // Text within the body limit but past the field's own is refused before it is parsed.
    const long = await postForm(split, s, '/admin/readers/import/summary', { summary: `[${'1,'.repeat(500_000)}1]` });
    expect(long.status).toBe(400);
  });
});
