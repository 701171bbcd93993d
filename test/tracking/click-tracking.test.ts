import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackingSigner } from '../../src/tracking/tracking-tokens';
import { seedReaders } from '../support/factories';
import { createTestApp, pathOf, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, ledger, startCampaign } from '../webhooks/support';

let t: TestApp;
afterEach(() => t?.close());

/** Sends the appeal to `readers` readers and returns the campaign id and the outbox. */
async function sendAppeal(env: Record<string, string> = {}, readers = 2) {
  t = await createTestApp({ env });
  await seedReaders(t.db, readers, { name: 'Ada' });
  const id = await createCampaign(t, appeal);
  await startCampaign(t, id);
  await drain(t);
  return { id, mail: await t.outbox() };
}

const trackedLinks = (body: string) => [...body.matchAll(/http:\/\/broadside\.test\/r\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]*/g)].map((m) => m[0]);
const hrefs = (html: string) => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
const get = (path: string, init?: RequestInit) => t.app.request(path, init);

describe('click tracking', () => {
  it('rewrites the content links of every email, in HTML and text, and leaves personal links alone', async () => {
    const { mail } = await sendAppeal();
    const [one, two] = mail;
    const links = hrefs(one!.html);
    // Donate button, the link in the body, the site's home and privacy links go through /r/…
    expect(links.filter((h) => h.startsWith('https://news.example.org'))).toEqual([]);
    expect(trackedLinks(one!.html).length).toBeGreaterThanOrEqual(2);
    // …and the text part carries the same tracked links.
    expect(trackedLinks(one!.text).length).toBeGreaterThanOrEqual(2);
    expect(one!.text).not.toContain('https://news.example.org/donate');
    // Unsubscribe, preferences and view in browser are not rewritten.
    expect(links.some((h) => h.startsWith('http://broadside.test/unsubscribe/'))).toBe(true);
    expect(links.some((h) => h.startsWith('http://broadside.test/preferences/'))).toBe(true);
    expect(links.some((h) => /^http:\/\/broadside\.test\/archive\/\d+$/.test(h))).toBe(true);
    expect(one!.headers['List-Unsubscribe']).toMatch(/^<http:\/\/broadside\.test\/unsubscribe\//);
    // Same link, different readers: same link token, different reader token.
    const a = trackedLinks(one!.html)[0]!.split('/');
    const b = trackedLinks(two!.html)[0]!.split('/');
    expect(a[4]).toBe(b[4]);
    expect(a[5]).not.toBe(b[5]);
  });

  it('redirects (302) to the link the email contained and counts the click', async () => {
    const { id, mail } = await sendAppeal();
    const donate = trackedLinks(mail[0]!.html).find(Boolean)!;
    const res = await get(pathOf(donate));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/news\.example\.org\//);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const clicked = (await ledger(t, id)).filter((r) => r.clickedAt !== null);
    expect(clicked).toHaveLength(1);
  });

  it('answers 404, never a redirect, when the link token or the reader token was altered', async () => {
    const { mail } = await sendAppeal();
    const path = pathOf(trackedLinks(mail[0]!.html)[0]!);
    const [, , link, readerToken] = path.split('/');
    const flip = (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    const [campaignPart, position, mac] = link!.split('.');
    const attempts = [
      `/r/${flip(link!)}/${readerToken}`,
      `/r/${link}/${flip(readerToken!)}`,
      `/r/${campaignPart}.${Number(position) + 1}.${mac}/${readerToken}`,
      `/r/${Number(campaignPart) + 1}.${position}.${mac}/${readerToken}`,
      `/r/not-a-token/${readerToken}`,
      `/r/${link}/${link}`, // a link token is not a reader token
    ];
    for (const attempt of attempts) {
      const res = await get(attempt, { headers: { accept: 'text/html' } });
      expect(res.status, attempt).toBe(404);
      expect(res.headers.get('location'), attempt).toBeNull();
      expect(await res.text()).toContain('not valid');
    }
    const [{ n }] = (await t.db.all<{ n: number }>(sql`select count(*) as n from link_clicks`)) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it('answers 404 for a correctly signed token of a link the campaign did not contain', async () => {
    const { id, mail } = await sendAppeal();
    const [{ key }] = (await t.db.all<{ key: string }>(sql`select key from campaign_tracking where campaign_id = ${id}`)) as [{ key: string }];
    const signer = await TrackingSigner.fromKey(key);
    const readerToken = pathOf(trackedLinks(mail[0]!.html)[0]!).split('/')[3];
    const forged = await signer.sign('link', { campaignId: id, value: 99 });
    expect((await get(`/r/${forged}/${readerToken}`)).status).toBe(404);
    // A reader token of another campaign does not fit this campaign's links either.
    const otherReader = await signer.sign('reader', { campaignId: id + 1, value: 1 });
    const link = pathOf(trackedLinks(mail[0]!.html)[0]!).split('/')[2];
    expect((await get(`/r/${link}/${otherReader}`)).status).toBe(404);
  });

  it('counts unique clicks per reader and total clicks per link; HEAD requests (scanners) count nothing', async () => {
    const { id, mail } = await sendAppeal({}, 3);
    const first = (m: number) => pathOf(trackedLinks(mail[m]!.html)[0]!);
    expect((await get(first(0), { method: 'HEAD' })).status).toBe(302);
    await get(first(0));
    await get(first(0));
    await get(first(1));
    const stats = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(stats.clicks.links[0]).toMatchObject({ position: 0, unique: 2, total: 3 });
    expect(stats.clicked).toBe(2);
  });

  it('keeps working in the archive copy, which has no reader: the click counts for the link only', async () => {
    const { id } = await sendAppeal();
    const page = await (await get(`/archive/${id}`)).text();
    const link = [...page.matchAll(/href="(http:\/\/broadside\.test\/r\/[^"]+)"/g)][0]![1]!;
    expect(link).toMatch(/\/r\/[\w.-]+\/$/);
    const res = await get(pathOf(link));
    expect(res.status).toBe(302);
    const stats = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(stats.clicks.links[0]).toMatchObject({ unique: 0, total: 0, anonymous: 1 });
  });

  it('never unsubscribes or confirms anyone, whatever a scanner follows', async () => {
    const { mail } = await sendAppeal();
    for (const link of trackedLinks(mail[0]!.html)) await get(pathOf(link));
    for (const link of trackedLinks(mail[0]!.text)) await get(pathOf(link));
    const statuses = await t.db.all<{ status: string }>(sql`select distinct status from subscribers`);
    expect(statuses).toEqual([{ status: 'active' }]);
  });

  it('sends links untouched when TRACK_CLICKS is false', async () => {
    const { mail } = await sendAppeal({ TRACK_CLICKS: 'false' });
    expect(trackedLinks(mail[0]!.html)).toEqual([]);
    expect(hrefs(mail[0]!.html)).toContain('https://news.example.org/donate?from=email');
    expect(mail[0]!.text).toContain('https://news.example.org/donate?from=email');
    expect(mail[0]!.html).not.toContain('/o/');
  });
});

describe('open tracking', () => {
  it('is off by default: no pixel', async () => {
    const { mail } = await sendAppeal();
    expect(mail[0]!.html).not.toMatch(/broadside\.test\/o\//);
  });

  it('with TRACK_OPENS, each email has a 1×1 pixel that records the reader’s first open', async () => {
    const { id, mail } = await sendAppeal({ TRACK_OPENS: 'true' });
    const pixel = /<img src="(http:\/\/broadside\.test\/o\/[^"]+)" width="1" height="1" alt=""/.exec(mail[0]!.html)?.[1];
    expect(pixel).toBeDefined();
    const res = await get(pathOf(pixel!));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    expect((await ledger(t, id)).filter((r) => r.openedAt !== null)).toHaveLength(1);
    // A forged pixel still answers with the image but records nothing.
    expect((await get('/o/1.2.AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(200);
    const stats = await (await t.admin(`/admin/api/campaigns/${id}/stats`)).json();
    expect(stats.opened).toBe(1);
  });
});
