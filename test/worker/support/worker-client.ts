/**
 * Drives the real Worker entry (src/worker.ts) inside workerd, the way Cloudflare does: fetch
 * with an ExecutionContext whose waitUntil work is awaited, Cron Triggers with a
 * ScheduledController, and queue batches. Reads the local Resend-compatible server's log through
 * the control server started by global-setup.ts.
 */
import type { ExecutionContext } from '@cloudflare/workers-types/index.ts';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env as bindings } from 'cloudflare:workers';
import { inject, vi } from 'vitest';
import type { RecordedRequest, SentEmail } from '../../support/fake-resend';
import worker from '../../../src/worker';
import type { WorkerEnv } from '../../../src/worker/env';

export const env = bindings as WorkerEnv;
export const ADMIN_TOKEN = env.ADMIN_TOKEN as string;
export const PUBLIC_URL = env.PUBLIC_URL as string;

/** A unique address per call, so tests sharing the database never see each other's readers. */
let counter = 0;
export const uniqueAddress = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@readers.example.net`;

/** One request to the Worker; resolves after the work it deferred (emails) has finished too. */
export async function call(path: string, init: RequestInit = {}, workerEnv: WorkerEnv = env): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(new URL(path, PUBLIC_URL), init), workerEnv, ctx as ExecutionContext);
  await waitOnExecutionContext(ctx);
  return response;
}

export function admin(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${ADMIN_TOKEN}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return call(path, { ...init, headers });
}

export async function adminJson<T = any>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await admin(path, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Fires a Cron Trigger, as Cloudflare does at its time. */
export async function runCron(cron: string): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: new Date() }), env, ctx as ExecutionContext);
  await waitOnExecutionContext(ctx);
}

const controlUrl = () => inject('controlUrl');

/** What the fake Resend server has accepted so far (idempotent replays are not new emails). */
export async function sentEmails(): Promise<SentEmail[]> {
  return (await fetch(`${controlUrl()}/emails`)).json();
}

export async function providerRequests(): Promise<RecordedRequest[]> {
  return (await fetch(`${controlUrl()}/requests`)).json();
}

/** The next sending request(s) to the fake get this fault (see test/support/fake-resend). */
export async function injectFault(fault: object): Promise<void> {
  await fetch(`${controlUrl()}/inject`, { method: 'POST', body: JSON.stringify(fault) });
}

export const emailsTo = async (address: string) => (await sentEmails()).filter((e) => e.to.includes(address));

/** Waits (polling) until `check` returns a value, e.g. an email that the queue consumer sends. */
export const eventually = <T>(check: () => Promise<T | undefined | null | false>, timeout = 15_000) =>
  vi.waitUntil(check, { timeout, interval: 50 }) as Promise<T>;

export async function campaignStatus(id: number): Promise<{ status: string; statusReason: string | null; counts: Record<string, number> }> {
  return adminJson(`/admin/api/campaigns/${id}`);
}

/** Waits until a campaign has left `sending` and returns it. */
export const sendingEnds = (id: number) =>
  eventually(async () => {
    const c = await campaignStatus(id);
    return c.status !== 'sending' && c.status !== 'scheduled' ? c : undefined;
  });

/** Pulls the first personal link to `path` out of an email. */
export function linkIn(body: string, path: string): string {
  const match = new RegExp(`https?://[^\\s"'<>]*${path}/[A-Za-z0-9_.-]+`).exec(body);
  if (!match) throw new Error(`no ${path} link in: ${body.slice(0, 300)}`);
  return match[0];
}

/** A subscriber added by an editor as active (consent recorded as such): a reader ready for bulk mail. */
export async function activeReader(label: string, topics: string[] = ['digest', 'appeals']): Promise<{ id: number; email: string }> {
  const email = uniqueAddress(label);
  const reader = await adminJson<{ id: number }>('/admin/api/subscribers', {
    method: 'POST',
    body: JSON.stringify({ email, status: 'active', topics }),
  });
  return { id: reader.id, email };
}
