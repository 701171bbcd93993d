import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeResend, type FakeResend } from '../support/fake-resend';

/**
 * Accepted sign-ups are never left without their confirmation. The real server (`src/node/main.ts`,
 * the Resend mailer, a libSQL file) answers 30 sign-ups while Resend is down, and is killed with
 * SIGKILL before it could send any; started again, it sends every confirmation, exactly once.
 * Nothing here waits for a duration: each step waits for the condition it needs.
 */
const SIGNUPS = 30;
let dir: string;
let fake: FakeResend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'broadside-signup-crash-'));
  fake = await startFakeResend({ rate: Infinity });
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** Starts the server; resolves once it listens. */
function startServer(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/node/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('Broadside is listening')) resolve(child);
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

describe('transactional mail survives a crash', () => {
  it(`${SIGNUPS} sign-ups answered, then SIGKILL before sending: the restarted server sends each confirmation once`, async () => {
    const port = await freePort();
    const env = {
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, 'broadside.db')}`,
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>',
      PUBLIC_URL: 'http://broadside.test',
      SITE_URL: 'https://news.example.org',
      SECRET: 'signup-crash-secret-0123456789abcdef0123456789',
      ADMIN_TOKEN: 'signup-crash-admin-token-0123',
      SEND_RATE: '100',
      SUBSCRIBE_IP_LIMIT: '1000',
      // The killed server's claims are given up after a second instead of three minutes.
      MAIL_LEASE_MS: '1000',
    };
    // Resend is down: every send attempt before the kill fails, so nothing can have gone out.
    fake.inject({ kind: 'outage', ms: 3_600_000, as: 503 });
    const first = await startServer(env);
    const addresses = Array.from({ length: SIGNUPS }, (_, i) => `crash-reader-${i}@example.org`);
    for (const email of addresses) {
      const res = await fetch(`http://127.0.0.1:${port}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      expect(res.status).toBe(202);
    }
    // The server really was trying to send when it died.
    await vi.waitUntil(() => fake.requests().length > 0, { timeout: 10_000, interval: 20 });
    first.kill("SIGKILL");
    await exited(first);
    expect(fake.emails()).toHaveLength(0);

    // Resend is back, and its first two answers are lost after it accepted the emails: only the
    // queue's Idempotency-Key keeps those two readers from getting a second copy.
    fake.clearFaults();
    fake.inject({ kind: 'disconnect', when: 'after', times: 2 });
    const second = await startServer(env);
    try {
      const db = createClient({ url: env.DATABASE_URL });
      await vi.waitUntil(
        async () => {
          const { rows } = await db.execute("select count(*) as n from transactional_mail where status = 'sent'");
          return Number(rows[0]!.n) === SIGNUPS;
        },
        { timeout: 60_000, interval: 100 },
      );
      const { rows } = await db.execute('select status, count(*) as n from transactional_mail group by status');
      db.close();
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['sent', SIGNUPS]]);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
    const counts = new Map<string, number>();
    for (const e of fake.emails()) for (const to of e.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([...addresses].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(fake.requests().map((r) => r.outcome)).toEqual(expect.arrayContaining(['accepted_then_disconnect', 'replayed']));
  }, 120_000);
});
