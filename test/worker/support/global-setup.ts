/**
 * Runs in Node before the workers project: starts the local Resend-compatible server and a small
 * control server beside it, both on 127.0.0.1. The Worker under test reaches the fake as its
 * RESEND_BASE_URL with real fetches from workerd (no mock in between); tests in workerd read what
 * it received, and reset it, through the control server, since the fake's own API (like Resend's)
 * has no "list every email" call. The control server also serves a feed for the feed-refresh cron.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { startFakeResend, type Fault, type FakeResend } from '../../support/fake-resend';
import { feedXml } from './feed';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the fake Resend server (RESEND_BASE_URL). */
    fakeResendUrl: string;
    fakeResendKey: string;
    /** Base URL of the control server: /emails, /requests, /reset, /inject, /feed.xml. */
    controlUrl: string;
    /** Requests per second the fake allows, and the Worker's SEND_RATE. */
    sendRate: number;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

function control(fake: FakeResend) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/emails') return send(200, fake.emails());
    if (req.method === 'GET' && path === '/requests') return send(200, fake.requests());
    if (req.method === 'POST' && path === '/reset') {
      fake.reset();
      return send(200, { ok: true });
    }
    if (req.method === 'POST' && path === '/inject') {
      fake.inject((await readJson(req)) as Fault);
      return send(200, { ok: true });
    }
    if (req.method === 'GET' && path === '/feed.xml') return send(200, feedXml(Date.now()), 'application/rss+xml');
    return send(404, { error: 'not found' });
  };
}

export default async function setup(project: TestProject) {
  // The fake refuses (429) what goes past its rate, as Resend does: with the Worker's SEND_RATE
  // set to the same number, a 429 in its log means the Worker sent too fast.
  const sendRate = 5;
  const fake = await startFakeResend({ rate: sendRate });
  const server = createServer((req, res) => {
    control(fake)(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  project.provide('fakeResendUrl', fake.url);
  project.provide('fakeResendKey', fake.apiKey);
  project.provide('controlUrl', `http://127.0.0.1:${port}`);
  project.provide('sendRate', sendRate);

  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await fake.stop();
  };
}
