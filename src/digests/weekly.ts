import { eq } from 'drizzle-orm';
import { articlesPublishedSince, hasOwnArticles } from '../articles/queries';
import { campaigns, type Campaign, type DigestContent } from '../db/schema';
import { importSampleFeed, usesSampleFeed } from '../demo/sample-feed';
import type { Deps } from '../deps';
import { startSend } from '../sending/start-send';
import { isoWeek } from './iso-week';
import { nextDigestStart } from './period';

type DigestDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'jobs'>;

/** A digest quotes at most this many articles (the newest); more would be a wall, not a digest. */
export const MAX_DIGEST_ARTICLES = 24;

export type WeeklyDigestResult =
  | { created: true; campaign: Campaign; articleCount: number }
  | { created: false; reason: string; campaign?: Campaign };

/**
 * Builds this ISO week's digest from the articles published since the previous digest, as the
 * schedule does and as POST /admin/api/digests/weekly does on demand. One per week: the unique
 * index on iso_week makes a second run (or a second process) a no-op. In DIGEST_MODE=auto the
 * digest is sent at once; in draft mode it waits for an editor.
 */
export async function buildWeeklyDigest(deps: DigestDeps): Promise<WeeklyDigestResult> {
  const now = deps.now();
  const week = isoWeek(now);
  const existing = await deps.db.select().from(campaigns).where(eq(campaigns.isoWeek, week)).get();
  if (existing) return { created: false, reason: `The digest for ${week} already exists (campaign ${existing.id}).`, campaign: existing };

  const since = await nextDigestStart(deps.db, now);
  let found = (await articlesPublishedSince(deps.db, since, now)).slice(0, MAX_DIGEST_ARTICLES);
  // A newcomer (no feed, mail kept in the outbox, no article of the site's own yet) gets the
  // sample site's articles, so "build this week's digest" shows what Broadside is for.
  if (found.length === 0 && usesSampleFeed(deps.config) && !(await hasOwnArticles(deps.db))) {
    await importSampleFeed(deps.db, deps.config.publicUrl, now);
    found = await articlesPublishedSince(deps.db, since, now, ['sample']);
  }
  if (found.length === 0) {
    const reason = deps.config.feedUrl
      ? `No articles were published since ${new Date(since).toISOString()}, so there is no digest for ${week}.`
      : `There are no articles to send: set FEED_URL to your site's address (or its feed) so Broadside can read its articles, or add articles by hand.`;
    return { created: false, reason };
  }
  const featured = found.find((a) => a.imageUrl) ?? found[0]!;
  const content: DigestContent = {
    kind: 'digest',
    intro: '',
    articleIds: found.map((a) => a.id),
    featuredId: featured.id,
    appealBlock: null,
  };
  const [campaign] = await deps.db
    .insert(campaigns)
    .values({
      kind: 'digest',
      status: 'draft',
      topic: 'digest',
      subject: `${deps.config.siteName}: ${featured.title}`.slice(0, 200),
      content,
      isoWeek: week,
      periodStart: since,
      periodEnd: now,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!campaign) {
    const other = await deps.db.select().from(campaigns).where(eq(campaigns.isoWeek, week)).get();
    return { created: false, reason: `The digest for ${week} already exists.`, campaign: other };
  }
  deps.logger.info('weekly digest built', { campaignId: campaign.id, week, articles: found.length });
  if (deps.config.digestMode === 'auto') {
    return { created: true, campaign: await startSend(deps, campaign.id), articleCount: found.length };
  }
  return { created: true, campaign, articleCount: found.length };
}
