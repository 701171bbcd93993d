import { afterEach, describe, expect, it } from 'vitest';
import { housekeepingJob } from '../src/housekeeping';
import { createTestApp, type TestApp } from './support/test-app';

let t: TestApp;
afterEach(() => t?.close());

const windows = async () => Number((await t.client.execute('select count(*) as n from rate_limits')).rows[0]!.n);
const subscribe = (email: string, ip: string) =>
  t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ email }) });

describe('abuse-limit windows', () => {
  it('the half-hourly job forgets windows that have ended and keeps the current ones', async () => {
    t = await createTestApp();
    for (let i = 1; i <= 5; i++) await subscribe(`old-${i}@example.org`, `192.0.2.${i}`);
    await t.settle();
    // Five IP windows and five address windows.
    expect(await windows()).toBe(10);

    t.advance(2 * 24 * 3600_000);
    await subscribe('new@example.org', '192.0.2.99');
    await t.settle();
    await housekeepingJob(t.deps);
    expect(await windows()).toBe(2);

    // The current windows still count: the address keeps its daily limit.
    for (let i = 0; i < 5; i++) {
      t.advance(60_000);
      await subscribe('new@example.org', `198.51.100.${i + 1}`);
    }
    expect((await t.outbox()).filter((m) => m.to === 'new@example.org')).toHaveLength(3);
  });
});
