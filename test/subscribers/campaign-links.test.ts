/**
 * A campaign email's personal links: one signed token serves the unsubscribe link, the
 * List-Unsubscribe header and the preferences link (src/subscribers/links.ts
 * `campaignReaderLinks`). What a reader notices: every link in the email works, the
 * preferences link opens their own page, and the links in emails sent before this change (a
 * preferences link with a preferences token) still work.
 */
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, startCampaign } from '../webhooks/support';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const tokenOf = (path: string) => path.split('/').pop()!;

async function sentAppeal() {
  const [id] = await seedReaders(t.db, 1);
  const campaignId = await createCampaign(t, appeal);
  await startCampaign(t, campaignId);
  await drain(t);
  const email = (await t.outbox()).find((m) => m.headers['List-Unsubscribe'])!;
  return {
    subscriberId: id!,
    campaignId,
    email,
    unsubscribe: pathOf(linkIn(email.html, '/unsubscribe')),
    preferences: pathOf(linkIn(email.html, '/preferences')),
    header: pathOf(linkIn(email.headers['List-Unsubscribe']!, '/unsubscribe')),
  };
}

const statusOf = async (id: number) =>
  (await t.db.get<{ status: string }>(sql`select status from subscribers where id = ${id}`))!.status;

describe("a campaign email's personal links", () => {
  it('the unsubscribe link, the List-Unsubscribe header and the preferences link carry one token', async () => {
    const sent = await sentAppeal();
    expect(sent.header).toBe(sent.unsubscribe);
    expect(tokenOf(sent.preferences)).toBe(tokenOf(sent.unsubscribe));
    expect(sent.email.text).toContain(`/preferences/${tokenOf(sent.unsubscribe)}`);
    // The token is the unsubscribe token as the send always made it: attributed to the campaign.
    const claims = await t.deps.signer.verify(tokenOf(sent.unsubscribe), 'unsubscribe');
    expect(claims).toMatchObject({ purpose: 'unsubscribe', subscriberId: sent.subscriberId, extra: String(sent.campaignId) });
  });

  it('the preferences link opens the reader’s own page and saves, without unsubscribing anyone', async () => {
    const sent = await sentAppeal();
    const page = await t.app.request(sent.preferences);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(sent.email.to);
    const saved = await t.app.request(sent.preferences, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'save', topics: ['digest'] }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ status: 'active', topics: ['digest'] });
    expect(await statusOf(sent.subscriberId)).toBe('active');
  });

  it('the one-click unsubscribe (RFC 8058) still works with the shared token', async () => {
    const sent = await sentAppeal();
    const res = await t.app.request(sent.header, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(await statusOf(sent.subscriberId)).toBe('unsubscribed');
  });

  it('links in emails sent before the change still work: a preferences token opens preferences, an unsubscribe token unsubscribes', async () => {
    const sent = await sentAppeal();
    const issuedAt = Math.floor(t.deps.now() / 1000) - 90 * 24 * 3600;
    const oldPreferences = await t.deps.signer.sign({ purpose: 'preferences', subscriberId: sent.subscriberId, issuedAt });
    const oldUnsubscribe = await t.deps.signer.sign({ purpose: 'unsubscribe', subscriberId: sent.subscriberId, issuedAt, extra: String(sent.campaignId) });
    expect((await t.app.request(`/preferences/${oldPreferences}`)).status).toBe(200);
    // A preferences token never unsubscribes: only the unsubscribe purpose opens that route.
    expect((await t.app.request(`/unsubscribe/${oldPreferences}`, { method: 'POST' })).status).toBe(404);
    expect(await statusOf(sent.subscriberId)).toBe('active');
    expect((await t.app.request(`/unsubscribe/${oldUnsubscribe}`, { method: 'POST' })).status).toBe(200);
    expect(await statusOf(sent.subscriberId)).toBe('unsubscribed');
  });

  it('a forged or altered token opens neither page', async () => {
    const sent = await sentAppeal();
    const token = tokenOf(sent.unsubscribe);
    const [payload, mac] = token.split('.') as [string, string];
    // Someone else's id in the payload, with this reader's MAC.
    const other = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(`:${sent.subscriberId}:`, `:${sent.subscriberId + 1}:`)).toString('base64url');
    const flipped = mac.slice(0, 5) + (mac[5] === 'A' ? 'B' : 'A') + mac.slice(6);
    for (const bad of [`${other}.${mac}`, `${payload}.${flipped}`]) {
      expect((await t.app.request(`/preferences/${bad}`)).status).toBe(404);
      expect((await t.app.request(`/unsubscribe/${bad}`, { method: 'POST' })).status).toBe(404);
    }
    // A confirmation token is for neither.
    const confirm = await t.deps.signer.sign({ purpose: 'confirm', subscriberId: sent.subscriberId, issuedAt: Math.floor(t.deps.now() / 1000) });
    expect((await t.app.request(`/preferences/${confirm}`)).status).toBe(404);
    expect(await statusOf(sent.subscriberId)).toBe('active');
  });
});
