import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { cronJobs } from '../src/worker/scheduled';

/**
 * The Worker tells its Cron Triggers apart by their expression: a trigger in wrangler.toml that
 * the code does not dispatch on only logs "unknown cron trigger", and a job whose expression is
 * not a trigger never runs. Read wrangler.toml the way wrangler does and compare.
 */
const wrangler = unstable_readConfig({ config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) }, { hideWarnings: true });

describe('Cron Triggers', () => {
  const digestSchedule = String(wrangler.vars.DIGEST_SCHEDULE);
  const dispatched = [...new Set(cronJobs(digestSchedule).map((j) => j.cron))].sort();

  it('wrangler.toml lists exactly the expressions the Worker dispatches on', () => {
    expect([...wrangler.triggers.crons!].sort()).toEqual(dispatched);
  });

  it('every trigger runs something, and the weekly one is DIGEST_SCHEDULE', () => {
    for (const cron of wrangler.triggers.crons!) expect(cronJobs(digestSchedule).some((j) => j.cron === cron)).toBe(true);
    expect(cronJobs(digestSchedule).find((j) => j.name === 'weekly digest')!.cron).toBe(digestSchedule);
    expect(wrangler.triggers.crons).toContain(digestSchedule);
  });
});
