import { Webhook } from 'svix';
import { sql } from 'drizzle-orm';
import { runSendLoop } from '../../src/sending/send-loop';
import type { TestApp } from '../support/test-app';

export const WEBHOOK_SECRET = `whsec_${Buffer.from('broadside-test-webhook-key-0123456789').toString('base64')}`;
export const OTHER_SECRET = `whsec_${Buffer.from('somebody-elses-webhook-key-9876543210').toString('base64')}`;

let counter = 0;
export const newSvixId = () => `msg_test_${++counter}_${Math.random().toString(36).slice(2, 10)}`;

export interface SignOptions {
  secret?: string;
  id?: string;
  /** When the request was signed; defaults to the app's clock. */
  at?: Date;
  /** Replace the signature header (e.g. several signatures). */
  signature?: (real: string) => string;
  /** Send this body instead of the one that was signed. */
  bodyOverride?: string;
}

/** A webhook request as Svix would make it, signed with the real `svix` library. */
export function signedRequest(t: TestApp, body: unknown, o: SignOptions = {}): Request {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const id = o.id ?? newSvixId();
  const at = o.at ?? new Date(t.deps.now());
  const real = new Webhook(o.secret ?? WEBHOOK_SECRET).sign(id, at, payload);
  return new Request('http://broadside.test/webhooks/resend', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(at.getTime() / 1000)),
      'svix-signature': o.signature ? o.signature(real) : real,
    },
    body: o.bodyOverride ?? payload,
  });
}

export async function postWebhook(t: TestApp, body: unknown, o: SignOptions = {}) {
  const res = await t.app.request(signedRequest(t, body, o));
  const text = await res.text();
  await t.settle();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A Resend event in the documented shape (OpenAPI `webhooks:`), about one email. */
/** `deliveryId`: the delivery tag a campaign email carries (echoed by Resend); left out, the event is about an email sent without it. */
export function resendEvent(type: string, o: { emailId: string; to: string; campaignId?: number; deliveryId?: number; data?: Record<string, unknown>; at?: number }) {
  return {
    type,
    created_at: new Date(o.at ?? Date.UTC(2026, 10, 23, 9, 1)).toISOString(),
    data: {
      email_id: o.emailId,
      created_at: '2026-11-23T09:00:00.000Z',
      from: 'The Riverside Ledger <newsletter@news.example.org>',
      to: [o.to],
      subject: 'Keep local news free to read',
      tags:
        o.campaignId === undefined
          ? { kind: 'confirm' }
          : { campaign: String(o.campaignId), kind: 'appeal', ...(o.deliveryId === undefined ? {} : { delivery: String(o.deliveryId) }) },
      ...o.data,
    },
  };
}

export const permanentBounce = {
  bounce: { diagnosticCode: ['smtp; 550 5.1.1 user unknown'], message: 'The mailbox does not exist.', subType: 'NoEmail', type: 'Permanent' },
};
export const transientBounce = {
  bounce: { diagnosticCode: ['smtp; 452 4.2.2 mailbox full'], message: 'The mailbox is full.', subType: 'MailboxFull', type: 'Transient' },
};

export const appeal = {
  kind: 'appeal',
  subject: 'Keep local news free to read',
  body: 'We rely on **readers like you**. Read [how we spend it](https://news.example.org/about/money).',
  donateUrl: 'https://news.example.org/donate?from=email',
};

/** Creates a campaign through the admin API and returns its id. */
export async function createCampaign(t: TestApp, body: unknown = appeal): Promise<number> {
  const res = await t.admin('/admin/api/campaigns', { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

export async function startCampaign(t: TestApp, id: number) {
  const res = await t.admin(`/admin/api/campaigns/${id}/send`, { method: 'POST' });
  if (res.status !== 202) throw new Error(`send failed: ${res.status} ${await res.text()}`);
}

/** Runs the sender until nothing is left to do. */
export const drain = (t: TestApp) => runSendLoop(t.deps, { untilIdle: true, idleMs: 5 });

export interface LedgerRow {
  id: number;
  subscriberId: number;
  email: string;
  providerId: string | null;
  status: string;
  deliveredAt: number | null;
  bouncedAt: number | null;
  complainedAt: number | null;
  openedAt: number | null;
  clickedAt: number | null;
  lastEvent: string | null;
  error: string | null;
}

export async function ledger(t: TestApp, campaignId: number): Promise<LedgerRow[]> {
  const rows = await t.db.all<Record<string, unknown>>(sql`
    select d.id, d.subscriber_id, s.email, d.provider_id, d.status, d.delivered_at, d.bounced_at, d.complained_at,
           d.opened_at, d.clicked_at, d.last_event, d.error
    from deliveries d join subscribers s on s.id = d.subscriber_id
    where d.campaign_id = ${campaignId} order by d.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    subscriberId: Number(r.subscriber_id),
    email: String(r.email),
    providerId: (r.provider_id as string | null) ?? null,
    status: String(r.status),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
    bouncedAt: r.bounced_at === null ? null : Number(r.bounced_at),
    complainedAt: r.complained_at === null ? null : Number(r.complained_at),
    openedAt: r.opened_at === null ? null : Number(r.opened_at),
    clickedAt: r.clicked_at === null ? null : Number(r.clicked_at),
    lastEvent: (r.last_event as string | null) ?? null,
    error: (r.error as string | null) ?? null,
  }));
}

export async function reader(t: TestApp, id: number) {
  const res = await t.admin(`/admin/api/subscribers/${id}`);
  return res.json();
}
