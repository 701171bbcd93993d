import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/admin/accounts';
import { DESK_SHOTS, launchChromium, shootDesk } from '../support/browser';
import { seedReaders } from '../support/factories';
import { listen } from '../support/serve';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The readers' part of the desk in Debian's Chromium: an editor imports a Mailchimp-style file
 * (preview, a mapping change, the summary with a refused row), finds a reader, opens their page,
 * tags them, erases them, and sees the erased address refused by the next import. Screenshots of
 * the readers list, the reader page and the import preview and summary, at 1280 and 375 px,
 * light and dark, go to test-results/desk/.
 */
const SHOTS = DESK_SHOTS;
const PASSWORD = 'a long editor password';
let browser: Browser;
let t: TestApp;
let broadside: Awaited<ReturnType<typeof listen>>;

// Mailchimp's audience export, written here: the tags are in TAGS, the groups in "Interests".
const mailchimp = [
  '"Email Address","First Name","Last Name","MEMBER_RATING","OPTIN_TIME","OPTIN_IP","CONFIRM_TIME","CONFIRM_IP","LEID","Interests","TAGS"',
  '"mara.vidmar@river.example","Mara","Vidmar",4,"2023-05-02 07:10:00","198.51.100.40","2023-05-02 07:12:31","198.51.100.40",201,"Council","""donor"""',
  '"tomas@hill.example","Tomas","Reyes",3,"2022-09-18 18:30:00","203.0.113.61","2022-09-18 18:31:02","203.0.113.61",202,"Schools",',
  '"not an address","Broken","Row",1,"2024-01-01 00:00:00",,,,203,,',
  '"ines.okoro@town.example","Ines","Okoro",2,"2021-02-11 09:00:00",,"2021-02-11 09:05:00",,204,"Council",',
].join('\r\n');

beforeAll(async () => {
  broadside = await listen();
  t = await createTestApp({ realClock: true, env: { PUBLIC_URL: broadside.url } });
  broadside.setFetch((req, env) => t.app.fetch(req, env));
  await seedReaders(t.db, 140, { name: 'Long-time reader', tags: ['print'] });
  await createAccount(t.db, { email: 'editor@news.example.org', name: 'Ines Marlow', role: 'editor', password: PASSWORD, now: Date.now() });
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await broadside?.close();
  t?.close();
});


const flash = (page: Page) => page.locator('[role=status] .flash').textContent();
const file = { name: 'riverside_subscribed_members.csv', mimeType: 'text/csv', buffer: Buffer.from(mailchimp) };

describe('readers in the desk, in Chromium', { timeout: 60_000 }, () => {
  let editor: Page;

  it('imports a Mailchimp file: preview, a mapping change, the summary with the refused row', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    editor = await context.newPage();
    await editor.goto(`${broadside.url}/admin/login`);
    await editor.getByLabel('Email address').fill('editor@news.example.org');
    await editor.getByLabel('Password').fill(PASSWORD);
    await editor.getByRole('button', { name: 'Sign in', exact: true }).click();
    await editor.getByRole('link', { name: 'Readers' }).click();
    await editor.getByRole('link', { name: 'Import a list…' }).click();

    await editor.getByLabel(/^CSV file/).setInputFiles(file);
    // The desk script asks for the preview as soon as the file is chosen.
    await expect.poll(() => editor.locator('[data-detected]').textContent()).toContain('Mailchimp');
    expect(await editor.locator('[data-detected]').textContent()).toContain('separated by comma');
    expect(await editor.getByLabel('Tags', { exact: true }).inputValue()).toBe('TAGS');
    expect(await editor.locator('.preview-rows').textContent()).toContain('"not an address" is not a valid email address');
    // The editor wants Mailchimp's groups as tags: the preview follows.
    await editor.getByLabel('Tags', { exact: true }).selectOption('Interests');
    await expect.poll(() => editor.locator('.preview-rows tbody tr').first().textContent()).toContain('council');
    await shootDesk(editor, 'import-preview');

    await editor.getByRole('button', { name: 'Import', exact: true }).click();
    await editor.locator('[data-import-summary]').waitFor({ timeout: 15_000 });
    expect(await editor.locator('[data-figure="added"] strong').textContent()).toBe('3');
    expect(await editor.locator('[data-figure="refused"] strong').textContent()).toBe('1');
    expect(await editor.locator('[data-refused]').textContent()).toContain('4"not an address" is not a valid email address');
    expect(await editor.locator('[data-import-running]').isVisible()).toBe(false);
    const download = editor.waitForEvent('download');
    await editor.getByRole('button', { name: 'Download the refused rows (CSV)' }).click();
    expect((await download).suggestedFilename()).toBe('refused-rows.csv');
    await shootDesk(editor, 'import-summary');
  });

  it('finds a reader, opens their page, tags them, erases them; the address cannot be imported again', async () => {
    await editor.getByRole('link', { name: 'See the readers' }).click();
    await shootDesk(editor, 'readers');
    await editor.getByLabel('Address or name').fill('vidmar');
    await editor.getByRole('button', { name: 'Find' }).click();
    expect(await editor.locator('#list-h').textContent()).toBe('1 reader match');
    await editor.getByRole('link', { name: 'mara.vidmar@river.example' }).click();
    expect(await editor.locator('dl.facts').textContent()).toContain('198.51.100.40');
    expect(await editor.locator('dl.facts').textContent()).toContain('imported from Mailchimp export riverside_subscribed_members.csv');

    await editor.getByLabel(/^Tags/).fill('council, donor');
    await editor.getByRole('button', { name: 'Save' }).click();
    expect(await flash(editor)).toBe('Saved.');
    expect(await editor.locator('dl.facts').textContent()).toContain('council, donor');
    await shootDesk(editor, 'reader');

    await editor.getByText('Erase this reader (GDPR article 17)…').click();
    expect(await editor.locator('details.erase').textContent()).toContain('cannot be undone');
    await editor.getByLabel('Type their address to confirm').fill('mara.vidmar@river.example');
    await editor.getByRole('button', { name: 'Erase mara.vidmar@river.example' }).click();
    expect(await flash(editor)).toContain('was erased');
    await editor.getByLabel('Address or name').fill('vidmar');
    await editor.getByRole('button', { name: 'Find' }).click();
    expect(await editor.locator('#list-h').textContent()).toBe('No readers match');

    await editor.goto(`${broadside.url}/admin/readers/import`);
    await editor.getByLabel(/^CSV file/).setInputFiles(file);
    await expect.poll(() => editor.locator('[data-detected]').count()).toBe(1);
    await editor.getByRole('button', { name: 'Import', exact: true }).click();
    await editor.locator('[data-import-summary]').waitFor({ timeout: 15_000 });
    expect(await editor.locator('[data-figure="skipped"] strong').textContent()).toBe('1');
    expect(await editor.locator('[data-figure="added"] strong').textContent()).toBe('0');
    const left = await t.client.execute("select count(*) as n from subscribers where email like 'mara%'");
    expect(left.rows[0]!.n).toBe(0);
    await editor.context().close();
  });
});
