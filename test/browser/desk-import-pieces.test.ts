import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/admin/accounts';
import { DESK_SHOTS, launchChromium, shootDesk } from '../support/browser';
import { listen } from '../support/serve';
import { createTestApp, type TestApp } from '../support/test-app';
import { importJson } from '../subscribers/import/support';

/**
 * The desk's import of a file larger than one piece, in Debian's Chromium: the page's script cuts
 * the file at record ends (never inside a quoted value that holds a line break, where a cut at
 * the next line break would fall), sends the pieces in order (one of them twice, its first
 * answer lost), moves the progress bar once per piece, and ends with the summary an import of
 * the whole file in one request gives: the same counts, the same refused lines, the same
 * download, the same readers and history. Screenshots during and after, at 1280 and 375 px.
 */
const PASSWORD = 'a long editor password';
const PIECE = 2000;
let browser: Browser;
let t: TestApp;
let reference: TestApp;
let broadside: Awaited<ReturnType<typeof listen>>;

// A plain file with an address column whose values span lines, a few bad rows, a Latin name,
// and an address repeated much later (other data: one request counts it once, at line 2).
const header = 'Email,Name,Postal address,Tags';
const records: string[] = ['ana.kovac@river.example,Ana Kovač,"1 Mill Lane\nRiverside",donor'];
for (let i = 1; i < 120; i++) {
  if (i % 37 === 0) records.push(`not-an-address-${i},Broken ${i},,`);
  else if (i % 3 === 0) records.push(`reader${i}@river.example,"Reader ""${i}""","${i} High Street\r\nFlat ${i}\r\nThe Old Mill\r\nRiverside",local`);
  else records.push(`reader${i}@river.example,Reader ${i},${i} Quay,`);
}
records.push('Ana.Kovac+news@River.example,Ana Again,"9 Elsewhere\nTown",council');
const csv = `${header}\r\n${records.join('\r\n')}\r\n`;
const file = { name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

/** Whether position `at` of the file is inside a quoted value (every quote here opens or closes one, or is doubled). */
const quotedAt = (at: number) => (csv.slice(0, at).split('"').length - 1) % 2 === 1;

beforeAll(async () => {
  broadside = await listen();
  [t, reference] = await Promise.all([createTestApp({ realClock: true, env: { PUBLIC_URL: broadside.url } }), createTestApp({ realClock: true })]);
  broadside.setFetch((req, env) => t.app.fetch(req, env));
  await createAccount(t.db, { email: 'editor@news.example.org', name: 'Ines Marlow', role: 'editor', password: PASSWORD, now: Date.now() });
  mkdirSync(DESK_SHOTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await broadside?.close();
  t?.close();
  reference?.close();
});

const text = (page: Page, selector: string) => page.locator(selector).first().textContent();
const readers = async (app: TestApp) =>
  (await app.client.execute('select email, name, status, tags, consent_source, consent_wording from subscribers order by email')).rows;
const history = async (app: TestApp) =>
  (await app.client.execute('select s.email, e.type, e.detail from subscriber_events e join subscribers s on s.id = e.subscriber_id order by s.email, e.id')).rows;

describe('a large file imported from the desk in pieces, in Chromium', { timeout: 90_000 }, () => {
  it('cuts at record ends, sends each piece (one twice), and ends with the summary of a one-request import', async () => {
    // A cut at the first line break after a piece's size would fall inside a quoted value.
    const naive = Array.from({ length: Math.floor(csv.length / PIECE) }, (_, k) => csv.indexOf('\n', (k + 1) * PIECE));
    expect(naive.some((at) => at > 0 && quotedAt(at))).toBe(true);
    const inOne = await importJson(reference, csv, 'consent=affirmed&file=members.csv');
    expect(inOne.duplicates).toBe(1);
    expect(inOne.refusedCount).toBe(3);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const editor = await context.newPage();
    await editor.goto(`${broadside.url}/admin/login`);
    await editor.getByLabel('Email address').fill('editor@news.example.org');
    await editor.getByLabel('Password').fill(PASSWORD);
    await editor.getByRole('button', { name: 'Sign in', exact: true }).click();
    await editor.goto(`${broadside.url}/admin/readers/import`);
    await editor.getByLabel(/^CSV file/).setInputFiles(file);
    await expect.poll(() => text(editor, '[data-detected]')).toContain('a CSV file');
    await editor.getByText('The site holds these people’s consent').click();
    await expect.poll(() => editor.locator('[data-preview-ready] .badge').first().textContent()).toBe('active');
    // Pieces of 2,000 characters, so that this file of about 7,300 makes four.
    await editor.locator('form[data-import]').evaluate((f, size) => f.setAttribute('data-piece-chars', String(size)), PIECE);
    await editor.evaluate(() => {
      const w = window as unknown as { steps: string[] };
      w.steps = [];
      new MutationObserver((changes) => {
        for (const c of changes) if (c.attributeName === 'aria-valuenow') w.steps.push((c.target as Element).getAttribute('aria-valuenow')!);
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });

    // The third piece's first answer is lost after the server imported it; it is held until the
    // screenshot of the running import is taken.
    const sent: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let reachedHold!: () => void;
    const atHold = new Promise<void>((r) => (reachedHold = r));
    await editor.route('**/admin/readers/import/piece', async (route: Route) => {
      const offset = /name="lineOffset"\r\n\r\n(\d+)/.exec(route.request().postData() ?? '')?.[1] ?? '?';
      sent.push(offset);
      const answer = await route.fetch();
      if (sent.length === 3) {
        reachedHold();
        await held;
        await route.fulfill({ status: 503, body: 'lost' });
        return;
      }
      await route.fulfill({ response: answer });
    });
    await editor.getByRole('button', { name: 'Import', exact: true }).click();
    await atHold;
    await shootDesk(editor, 'import-pieces-running');
    const during = Number(await editor.locator('[data-import-running] [role=progressbar]').getAttribute('aria-valuenow'));
    expect(during).toBeGreaterThan(0);
    expect(during).toBeLessThan(100);
    expect(await text(editor, '[data-ticks]')).toMatch(/rows read, [\d,]+ added or updated$/);
    release();

    await editor.locator('[data-import-summary]').waitFor({ timeout: 30_000 });
    const pieces = Math.ceil(csv.length / PIECE);
    expect(sent.length).toBeGreaterThanOrEqual(pieces);
    // The third piece was sent again with the same offset; offsets otherwise only grow.
    expect(sent[3]).toBe(sent[2]);
    const offsets = sent.filter((o, i) => i !== 3).map(Number);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const steps = (await editor.evaluate(() => (window as unknown as { steps: string[] }).steps)).map(Number);
    expect(steps.length).toBe(sent.length - 1);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(100);

    const figure = async (k: string) => Number((await text(editor, `[data-figure="${k}"] strong`))!.replace(/,/g, ''));
    for (const k of ['added', 'updated', 'unchanged', 'suppressed', 'skipped'] as const) expect(await figure(k), k).toBe(inOne[k]);
    expect(await figure('refused')).toBe(inOne.refusedCount);
    expect(await text(editor, '#summary-h')).toBe(`Imported ${inOne.rows} rows`);
    expect(await text(editor, '[data-import-summary] p.muted')).toContain('1 repeated address counted once.');
    const shown = await editor.locator('[data-refused] tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(shown).toEqual(inOne.refused.map((r: { line: number; reason: string }) => [String(r.line), r.reason]));
    const download = editor.waitForEvent('download');
    await editor.getByRole('button', { name: 'Download the refused rows (CSV)' }).click();
    const got = readFileSync((await (await download).path())!, 'utf8');
    const expected = await (await reference.admin('/admin/api/subscribers/import?consent=affirmed&file=members.csv&format=csv', { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } })).text();
    expect(got).toBe(expected);
    expect(await readers(t)).toEqual(await readers(reference));
    expect(await history(t)).toEqual(await history(reference));
    await shootDesk(editor, 'import-pieces-summary');
    await context.close();
  });
});
