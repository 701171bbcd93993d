import { sql } from 'drizzle-orm';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign } from '../../src/campaigns/create';
import { deliveryCounts, getCampaign } from '../../src/campaigns/queries';
import { parseConfig } from '../../src/config';
import { buildNodeDeps } from '../../src/node/deps';
import { startSend } from '../../src/sending/start-send';
import { startFakeResend, type FakeResend } from '../support/fake-resend';
import { seedReaders } from '../support/factories';
import { memoryLogger } from '../support/test-app';

/**
 * The sender is a real child process (`npm run campaign -- run`), killed with SIGKILL at chosen
 * moments — while a batch is in flight at Resend, right after Resend accepted one, between
 * chunks — and started again, many times. Afterwards every reader has exactly one email and none
 * is missing. Each kill waits for the provider-side event it is meant to land on, never for a
 * duration, so a slow machine changes how long this takes, not what it tests.
 */
const READERS = 3_000;
const KILLS = 8;

let dir: string;
let fake: FakeResend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'broadside-crash-'));
  fake = await startFakeResend({ rate: Infinity });
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** When to kill a sender: looked at every few milliseconds while it runs. */
type KillWhen = () => boolean;

function runSender(env: Record<string, string>, killWhen?: KillWhen): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve) => {
    // With the heap limits of `npm run campaign` (package.json), as an operator's sender runs.
    const child = spawn(process.execPath, ['--max-old-space-size=64', '--max-semi-space-size=4', '--import', 'tsx', 'scripts/campaign.ts', 'run', '--until-idle', '--lease-ms', '500', '--concurrency', '2'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer =
      killWhen === undefined
        ? undefined
        : setInterval(() => {
            if (killWhen()) {
              clearInterval(timer);
              child.kill('SIGKILL');
            }
          }, 2);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('exactly once across crashes', () => {
  it(`a ${READERS}-reader send killed ${KILLS} times with SIGKILL mails everyone exactly once`, async () => {
    const env = {
      DATABASE_URL: `file:${join(dir, 'broadside.db')}`,
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>',
      PUBLIC_URL: 'http://broadside.test',
      SECRET: 'crash-test-secret-0123456789abcdef0123456789',
      ADMIN_TOKEN: 'crash-test-admin-token-0123',
      SEND_RATE: '500',
    };
    const { deps, close } = await buildNodeDeps(parseConfig(env), memoryLogger().logger);
    await seedReaders(deps.db, READERS);
    const campaign = await createCampaign(deps, {
      kind: 'appeal',
      subject: 'Winter appeal',
      body: 'Local reporting needs local readers.',
      donateUrl: 'https://news.example.org/donate',
    });
    await startSend(deps, campaign.id);

    // Slow answers widen the window in which a kill lands mid-request; some answers are lost
    // after the emails were accepted, as a crash of the network would do.
    fake.inject({ kind: 'delay', ms: 120, times: 25 });
    fake.inject({ kind: 'disconnect', when: 'after', times: 2 });
    fake.inject({ kind: 'delay', ms: 120, times: 25 });

    // Kill moments, alternating: while a request is held at the provider (its chunk claimed,
    // not finished), and after a fixed number of further requests (a seeded choice, so every
    // run of this test kills at the same points of the send).
    const seeded = fc.sample(fc.integer({ min: 1, max: 4 }), { seed: 9, numRuns: KILLS });
    const inFlight = () => fake.requests().some((r) => r.outcome === undefined);
    const runs: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const seen = fake.requests().length;
      const label = i % 2 === 0 ? 'in-flight' : `after-${seeded[i]}`;
      const when: KillWhen = i % 2 === 0 ? inFlight : () => fake.requests().length >= seen + seeded[i]!;
      const r = await runSender(env, when);
      runs.push(`${label}:${r.signal ?? r.code}`);
      if ((await getCampaign(deps.db, campaign.id))!.status === 'sent') break;
    }
    // Then let one run finish (leases of killed senders expire after 500 ms).
    const last = await runSender(env);
    expect(last.code, last.stderr).toBe(0);

    const counts = new Map<string, number>();
    for (const email of fake.emails()) for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice, `runs: ${runs.join(', ')}`).toEqual([]);
    expect(counts.size, `runs: ${runs.join(', ')}`).toBe(READERS);
    expect(runs.filter((r) => r.endsWith('SIGKILL')).length).toBeGreaterThan(0);
    // The kills really landed mid-chunk: some chunks needed a second claim, and Resend answered
    // some retries from its idempotency store (emails accepted before the sender died).
    const retried = await deps.db.all<{ n: number }>(sql`select count(*) as n from send_chunks where campaign_id = ${campaign.id} and attempts > 1`);
    expect(Number(retried[0]!.n), `runs: ${runs.join(', ')}`).toBeGreaterThan(0);

    const after = await getCampaign(deps.db, campaign.id);
    expect(after!.status).toBe('sent');
    expect(await deliveryCounts(deps.db, campaign.id)).toMatchObject({ audience: READERS, sent: READERS, failed: 0, queued: 0 });
    close();
  }, 240_000);
});
