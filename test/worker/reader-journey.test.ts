/**
 * A reader's whole life on the Workers build, in workerd with D1, a real Cloudflare Queue and the
 * resend SDK talking to the local Resend-compatible server: subscribe, confirm, receive the weekly
 * digest that the Cron Trigger builds and the queue consumer sends, leave with one click; and a
 * second reader whose digest bounces, reported by a Svix-signed webhook.
 */
import { Webhook } from 'svix';
import { describe, expect, inject, it } from 'vitest';
import { FEED_ARTICLES } from './support/feed';
import {
  adminJson,
  call,
  emailsTo,
  env,
  linkIn,
  providerRequests,
  runCron,
  sendingEnds,
  uniqueAddress,
} from './support/worker-client';

const WEEKLY = '0 7 * * 1';
const FEED_REFRESH = '*/30 * * * *';

async function subscribeAndConfirm(email: string) {
  const res = await call('/subscribe', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.23' },
    body: JSON.stringify({ email, source: 'https://news.example.org/flood-wall' }),
  });
  expect(res.status).toBe(202);
  expect(await res.json()).toEqual({ ok: true });

  // The confirmation email went out through Resend's API while the response was already sent
  // (ctx.waitUntil), from workerd, with the real SDK.
  const [confirmation] = await emailsTo(email);
  expect(confirmation?.subject).toMatch(/confirm/i);
  const confirmUrl = linkIn(confirmation!.html!, '/confirm');

  // GET only shows the button: mail scanners follow links.
  expect((await call(confirmUrl)).status).toBe(200);
  expect(await readerStatus(email)).toBe('pending');
  expect((await call(confirmUrl, { method: 'POST' })).status).toBe(200);
  expect(await readerStatus(email)).toBe('active');
}

async function reader(email: string) {
  const found = await adminJson<{ subscribers: { id: number; status: string }[] }>(`/admin/api/subscribers?q=${encodeURIComponent(email)}`);
  return found.subscribers[0]!;
}
const readerStatus = async (email: string) => (await reader(email)).status;

function signedWebhook(payload: unknown) {
  const body = JSON.stringify(payload);
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  const signature = new Webhook(env.RESEND_WEBHOOK_SECRET as string).sign(id, at, body);
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(Math.floor(at.getTime() / 1000)), 'svix-signature': signature },
    body,
  };
}

describe('a reader on the Workers build', () => {
  it('subscribes, confirms, gets the weekly digest from the cron and the queue, and leaves in one click', async () => {
    const leaver = uniqueAddress('leaver');
    const bouncer = uniqueAddress('bouncer');
    await subscribeAndConfirm(leaver);
    await subscribeAndConfirm(bouncer);

    // The feed-refresh trigger reads the site's feed; the weekly trigger builds the digest and,
    // with DIGEST_MODE=auto, starts the send: the ledger, then one queue job per chunk.
    await runCron(FEED_REFRESH);
    const articles = await adminJson<{ articles: { title: string }[] }>('/admin/api/articles');
    expect(articles.articles.map((a) => a.title)).toEqual(expect.arrayContaining(FEED_ARTICLES.map((a) => a.title)));
    await runCron(WEEKLY);

    const campaigns = await adminJson<{ campaigns: { id: number; kind: string; isoWeek: string | null }[] }>('/admin/api/campaigns');
    const digest = campaigns.campaigns.find((c) => c.kind === 'digest' && c.isoWeek);
    expect(digest).toBeDefined();
    const done = await sendingEnds(digest!.id);
    expect(done.status).toBe('sent');

    // Each reader got the digest once, with the articles, a personal unsubscribe link in the
    // body and the RFC 8058 headers.
    const digestTo = async (address: string) => (await emailsTo(address)).filter((e) => e.tags.some((t) => t.name === 'campaign' && t.value === String(digest!.id)));
    const [leaverDigest] = await digestTo(leaver);
    expect(await digestTo(leaver)).toHaveLength(1);
    expect(await digestTo(bouncer)).toHaveLength(1);
    for (const a of FEED_ARTICLES) expect(leaverDigest!.html).toContain(a.title);
    expect(leaverDigest!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = /<(https?:\/\/[^>]+)>/.exec(leaverDigest!.headers['List-Unsubscribe']!)![1]!;
    expect(leaverDigest!.html).toContain(listUnsubscribe);

    // The Worker kept to SEND_RATE: the fake, which allows exactly that, refused nothing.
    expect((await providerRequests()).filter((r) => r.status === 429)).toEqual([]);

    // One click in the mail client: 200, empty body, and no more mail.
    const oneClick = await call(listUnsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toBe('');
    expect(await readerStatus(leaver)).toBe('unsubscribed');

    // Resend reports a permanent bounce for the other reader's digest: they get no more mail.
    const [bounced] = await digestTo(bouncer);
    const webhook = await call(
      '/webhooks/resend',
      signedWebhook({
        type: 'email.bounced',
        created_at: new Date().toISOString(),
        data: {
          email_id: bounced!.id,
          created_at: new Date(bounced!.createdAt).toISOString(),
          from: bounced!.from,
          to: [bouncer],
          subject: bounced!.subject,
          bounce: { type: 'Permanent', subType: 'NoEmail', message: 'The mailbox does not exist.', diagnosticCode: ['smtp; 550 5.1.1 user unknown'] },
        },
      }),
    );
    expect(webhook.status).toBeLessThan(300);
    expect(await readerStatus(bouncer)).toBe('bounced');
  });

  it('a Worker without its secrets says which to set, and serves nothing else', async () => {
    const unconfigured = { ...env, ADMIN_TOKEN: undefined, SECRET: undefined };
    const res = await call('/healthz', {}, unconfigured);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toContain('wrangler secret put ADMIN_TOKEN');
    expect(text).toContain('wrangler secret put SECRET');
    expect(text).not.toContain(inject('fakeResendKey'));
  });

  it('a Worker refuses a libSQL file database, which it cannot open', async () => {
    const res = await call('/healthz', {}, { ...env, DATABASE_URL: 'file:./data/broadside.db' });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/DATABASE_URL: on Workers it must be a Turso libsql:\/\/ or https:\/\/ URL/);
  });
});
