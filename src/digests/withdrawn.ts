import { and, eq, inArray } from 'drizzle-orm';
import { getArticlesByIds } from '../articles/queries';
import { checkPermalinks, withdrawnAmong } from '../articles/withdrawn';
import { updateCampaignWhile } from '../campaigns/status';
import { campaigns, type Campaign, type DigestContent } from '../db/schema';
import type { Database } from '../db/database';
import type { Deps } from '../deps';

/** Digests whose articles may still change: an editor's draft, or one waiting for its time. */
const editable = ['draft', 'scheduled'] as const;

/**
 * Takes withdrawn articles out of unsent digests (all of them, or the one given), noting each on
 * the campaign's `withdrawn` list with the reason; a withdrawn lead story hands the lead to the
 * next article. Returns the campaigns changed.
 */
export async function dropWithdrawnFromDigests(db: Database, now: number, campaignId?: number): Promise<Campaign[]> {
  const where = and(eq(campaigns.kind, 'digest'), inArray(campaigns.status, [...editable]), campaignId === undefined ? undefined : eq(campaigns.id, campaignId));
  const drafts = await db.select().from(campaigns).where(where).all();
  const changed: Campaign[] = [];
  for (const campaign of drafts) {
    const content = campaign.content;
    if (content.kind !== 'digest') continue;
    const gone = await withdrawnAmong(db, content.articleIds);
    if (gone.length === 0) continue;
    const goneIds = new Set(gone.map((a) => a.id));
    const articleIds = content.articleIds.filter((id) => !goneIds.has(id));
    const next: DigestContent = {
      ...content,
      articleIds,
      featuredId: content.featuredId !== null && goneIds.has(content.featuredId) ? (articleIds[0] ?? null) : content.featuredId,
      withdrawn: [
        ...(content.withdrawn ?? []),
        ...gone.map((a) => ({ articleId: a.id, title: a.title, url: a.url, reason: a.withdrawnReason ?? 'withdrawn by the site', at: new Date(now).toISOString() })),
      ],
    };
    // Only while still unsent: a send that started meanwhile keeps the render its readers got.
    const row = await updateCampaignWhile(db, campaign.id, editable, { now, values: { content: next } });
    if (row) changed.push(row);
  }
  return changed;
}

type RecheckDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger'> & Partial<Pick<Deps, 'fetch'>>;

/**
 * When a digest send starts: asks the site once more about every article in it (a post may have
 * gone to the trash since the last refresh) and takes out the ones it withdrew. Only articles
 * from FEED_URL, at its host, are asked; a site that cannot be reached changes nothing.
 */
export async function recheckDigestArticles(deps: RecheckDeps, campaign: Campaign): Promise<void> {
  if (campaign.content.kind !== 'digest' || !deps.config.feedUrl) return;
  const fromFeed = (await getArticlesByIds(deps.db, campaign.content.articleIds)).filter((a) => a.source === 'feed');
  const now = deps.now();
  const withdrawn = await checkPermalinks(deps.db, fromFeed, { fetch: deps.fetch ?? globalThis.fetch, now, siteUrls: [deps.config.feedUrl] });
  const changed = await dropWithdrawnFromDigests(deps.db, now, campaign.id);
  if (changed.length) deps.logger.warn('withdrawn articles taken out of the digest before sending', { campaignId: campaign.id, articleIds: withdrawn.map((a) => a.id) });
}
