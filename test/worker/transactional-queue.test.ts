/**
 * The Workers side of the durable transactional queue: when a sign-up's own attempt (run after
 * the response, in ctx.waitUntil) cannot send the confirmation, the email stays written down and
 * the minute Cron Trigger sends it, once.
 */
import { describe, expect, it } from 'vitest';
import { call, emailsTo, eventually, injectFault, providerRequests, runCron, uniqueAddress } from './support/worker-client';

const SENDING = '* * * * *';

describe('transactional mail on Workers', () => {
  it('a confirmation the request could not send goes out from the sweep, exactly once', async () => {
    const email = uniqueAddress('queued');
    // Every attempt the request's waitUntil makes is dropped before Resend sees it.
    await injectFault({ kind: 'disconnect', when: 'before', times: 4 });
    const res = await call('/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.40' },
      body: JSON.stringify({ email }),
    });
    expect(res.status).toBe(202);
    expect(await emailsTo(email)).toHaveLength(0);
    const before = (await providerRequests()).length;

    // The sweep runs every minute; it sends the email once it is due again (after its backoff).
    const [confirmation] = await eventually(async () => {
      await runCron(SENDING);
      const sent = await emailsTo(email);
      return sent.length > 0 ? sent : undefined;
    }, 25_000);
    expect(confirmation!.subject).toMatch(/confirm/i);
    expect(confirmation!.html).toContain('/confirm/');

    // Further sweeps find nothing to send.
    await runCron(SENDING);
    await runCron(SENDING);
    expect(await emailsTo(email)).toHaveLength(1);
    expect((await providerRequests()).length - before).toBe(1);
  });
});
