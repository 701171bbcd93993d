/**
 * A campaign sent now signs each email's unsubscribe token and tracking reader token with one
 * MAC (src/tokens.ts `readerPair`). What a reader notices: every link works as before — tracked
 * links redirect and count their click, the open pixel counts, the unsubscribe and preferences
 * links work — and a tracked link (which travels with every forward) can never unsubscribe them.
 * A send started before pairing goes on with the tokens it started with.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackingSigner } from '../../src/tracking/tracking-tokens';
import { seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, ledger, startCampaign } from '../webhooks/support';

let t: TestApp;
afterEach(() => t?.close());

const trackedLink = (html: string) => /http:\/\/broadside\.test\/r\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+/.exec(html)![0];
const statusOf = async (id: number) => (await t.db.get<{ status: string }>(sql`select status from subscribers where id = ${id}`))!.status;

async function send(options: { beforePairing?: boolean } = {}) {
  t = await createTestApp({ env: { TRACK_CLICKS: 'true', TRACK_OPENS: 'true' } });
  await seedReaders(t.db, 2, { name: 'Ada' });
  const campaignId = await createCampaign(t, appeal);
  await startCampaign(t, campaignId);
  // A send that started before pairing existed froze settings without `pairedLinks`.
  if (options.beforePairing) await t.db.run(sql`update campaigns set send_settings = json_remove(send_settings, '$.pairedLinks') where id = ${campaignId}`);
  await drain(t);
  const email = (await t.outbox())[0]!;
  const readers = await ledger(t, campaignId);
  const mine = readers.find((r) => r.email === email.to)!;
  const click = pathOf(trackedLink(email.html));
  return {
    campaignId,
    subscriberId: mine.subscriberId,
    email,
    click,
    readerToken: click.split('/')[3]!,
    open: pathOf(/http:\/\/broadside\.test\/o\/[A-Za-z0-9_.-]+/.exec(email.html)![0]),
    unsubscribe: pathOf(linkIn(email.html, '/unsubscribe')),
    preferences: pathOf(linkIn(email.html, '/preferences')),
  };
}

describe('a campaign email signed with one MAC', () => {
  it('its tracked link redirects and counts the click, its pixel counts the open, for that reader', async () => {
    const sent = await send();
    expect(sent.readerToken).toMatch(new RegExp(`^${sent.campaignId}\\.${sent.subscriberId}\\.[A-Za-z0-9_-]{22}$`));
    const res = await t.app.request(sent.click);
    expect(res.status).toBe(302);
    expect((await t.app.request(sent.open)).status).toBe(200);
    const row = (await ledger(t, sent.campaignId)).find((r) => r.subscriberId === sent.subscriberId)!;
    expect(row.clickedAt).not.toBeNull();
    expect(row.openedAt).not.toBeNull();
  });

  it('its unsubscribe token (a 16-byte MAC) unsubscribes with one click, and its preferences link opens the reader’s page', async () => {
    const sent = await send();
    expect(sent.unsubscribe.split('.').at(-1)).toHaveLength(22);
    expect(sent.email.headers['List-Unsubscribe']).toContain(sent.unsubscribe);
    expect((await t.app.request(sent.preferences)).status).toBe(200);
    const res = await t.app.request(sent.unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(await statusOf(sent.subscriberId)).toBe('unsubscribed');
  });

  it('a forwarded tracked link cannot unsubscribe the reader: its MAC in an unsubscribe token is refused', async () => {
    const sent = await send();
    const trackingMac = sent.readerToken.split('.')[2]!;
    const forged = `${sent.unsubscribe.split('.')[0]}.${trackingMac}`;
    for (const path of [forged, `/unsubscribe/${sent.readerToken}`]) {
      const res = await t.app.request(path, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(res.status, path).toBe(404);
      expect((await t.app.request(path.replace('/unsubscribe/', '/preferences/'))).status, path).toBe(404);
    }
    // Nor does the unsubscribe half pass as a reader token.
    const unsubscribeMac = sent.unsubscribe.split('.').at(-1)!;
    const res = await t.app.request(sent.click.replace(/\/[^/]+$/, `/${sent.campaignId}.${sent.subscriberId}.${unsubscribeMac}`));
    expect(res.status).toBe(404);
    expect(await statusOf(sent.subscriberId)).toBe('active');
  });

  it('a send started before pairing goes on with the tokens it started with, which keep working', async () => {
    const sent = await send({ beforePairing: true });
    // The unsubscribe token with its 32-byte MAC, the reader token under the campaign's own key.
    expect(sent.unsubscribe.split('.').at(-1)).toHaveLength(43);
    const key = (await t.db.get<{ key: string }>(sql`select key from campaign_tracking where campaign_id = ${sent.campaignId}`))!.key;
    expect(sent.readerToken).toBe((await TrackingSigner.fromKey(key)).readerSigner(sent.campaignId)(sent.subscriberId));
    expect((await t.app.request(sent.click)).status).toBe(302);
    expect((await ledger(t, sent.campaignId)).find((r) => r.subscriberId === sent.subscriberId)!.clickedAt).not.toBeNull();
    expect((await t.app.request(sent.preferences)).status).toBe(200);
    expect((await t.app.request(sent.unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(200);
    expect(await statusOf(sent.subscriberId)).toBe('unsubscribed');
  });
});
