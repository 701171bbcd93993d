import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigestJob } from '../../src/digests/jobs';
import { startSchedules } from '../../src/node/schedules';
import { serve, startFeedServer, type FeedServer } from '../articles/support/feed-server';
import { fixture } from '../articles/support/fixtures';
import { createTestApp, type TestApp } from '../support/test-app';

/** The scheduled weekly job as the Node schedule and the Worker's cron run it. */
let t: TestApp | undefined;
let site: FeedServer | undefined;
afterEach(async () => {
  t?.close();
  await site?.close();
  t = site = undefined;
});

// Monday 13 May 2024, 07:00 UTC: the week after the fixture feed's articles (3–10 May).
const MONDAY = Date.UTC(2024, 4, 13, 7, 0, 0);

describe('weekly digest job', () => {
  it('reads the site feed, then builds the week’s digest from what was published since the last', async () => {
    site = await startFeedServer({ '/feed/': serve(fixture('wordpress-rss.xml')) });
    t = await createTestApp({ env: { FEED_URL: site.url('/feed/') }, now: MONDAY });
    const result = await weeklyDigestJob(t.deps);
    expect(result.created).toBe(true);
    if (!result.created) return;
    expect(result.campaign).toMatchObject({ kind: 'digest', status: 'draft', isoWeek: '2024-W20' });
    // The feed's items from the last seven days (6–10 May), not the one from 3 May.
    expect(result.articleCount).toBe(5);
    const preview = await (await t.admin(`/admin/api/campaigns/${result.campaign.id}/preview`)).text();
    const articles = await (await t.admin('/admin/api/articles')).json();
    expect(articles.total).toBe(6);
    // The newest article leads the digest; the oldest (outside the week) is not in it.
    expect(preview).toContain(articles.articles[0].url);
    expect(preview).not.toContain(articles.articles[5].url);

    // The same week again: nothing new.
    const again = await weeklyDigestJob(t.deps);
    expect(again.created).toBe(false);
  });

  it('a broken feed does not stop the digest of what is already stored', async () => {
    site = await startFeedServer({ '/feed/': serve('<html>not a feed</html>', 'text/html') });
    t = await createTestApp({ env: { FEED_URL: site.url('/feed/') }, now: MONDAY });
    const result = await weeklyDigestJob(t.deps);
    expect(result).toMatchObject({ created: false, reason: expect.stringMatching(/No articles/) });
    expect(t.logs.some((l) => l.level === 'warn' && l.message === 'feed refresh failed')).toBe(true);
  });

  it('the Node schedule runs the digest at DIGEST_SCHEDULE (UTC) and the feed every 30 minutes', async () => {
    t = await createTestApp({ env: { DIGEST_SCHEDULE: '0 7 * * 1' } });
    const schedules = startSchedules(t.deps);
    const [digest, feed] = schedules.next();
    schedules.stop();
    expect(digest!.getUTCDay()).toBe(1);
    expect([digest!.getUTCHours(), digest!.getUTCMinutes()]).toEqual([7, 0]);
    expect(feed!.getUTCMinutes() % 30).toBe(0);
  });
});
