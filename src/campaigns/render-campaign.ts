import { getArticlesByIds, type Article } from '../articles/queries';
import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { renderCustomEmail } from '../emails/custom-email';
import { compileMjml } from '../emails/mjml';
import { renderAppealEmail, renderDigestEmail } from '../emails/render';
import type { DigestArticle, Personalisation, RenderedEmail } from '../../emails/_components/types';
import { siteOf } from '../subscribers/site';
import { activeContent, unsafeMjmlMessage } from './web-safe-html';

type RenderDeps = Pick<Deps, 'db' | 'config' | 'now'>;

const toDigestArticle = (a: Article): DigestArticle => ({
  title: a.title,
  url: a.url,
  excerpt: a.excerpt || undefined,
  author: a.author ?? undefined,
  category: a.categories[0],
  image: a.imageUrl
    ? { src: a.imageUrl, alt: a.imageAlt ?? undefined, width: a.imageWidth ?? undefined, height: a.imageHeight ?? undefined, sizes: a.imageSizes ?? undefined }
    : undefined,
});

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Renders a campaign for `personal`: a real reader's links (preview, test) or the placeholders
 * of src/emails/placeholders.ts (the once-per-campaign render the send personalises).
 * Throws a 409 AppError when the campaign cannot be rendered as it stands (no articles, invalid
 * MJML), with a message an editor can act on.
 */
export async function renderCampaign(deps: RenderDeps, campaign: Campaign, personal: Personalisation): Promise<RenderedEmail> {
  const site = siteOf(deps.config);
  const content = campaign.content;
  switch (content.kind) {
    case 'digest': {
      const found = await getArticlesByIds(deps.db, content.articleIds);
      const byId = new Map(found.map((a) => [a.id, a]));
      const ordered = content.articleIds.map((id) => byId.get(id)).filter((a): a is Article => !!a);
      if (ordered.length === 0) {
        throw new AppError('conflict', 'This digest has no articles: add some before previewing or sending.');
      }
      const featured = content.featuredId === null ? undefined : byId.get(content.featuredId);
      return renderDigestEmail({
        site,
        ...personal,
        subject: campaign.subject,
        preheader: campaign.preheader ?? undefined,
        issueDate: isoDate(campaign.periodEnd ?? campaign.scheduledAt ?? deps.now()),
        intro: content.intro || undefined,
        featured: featured ? toDigestArticle(featured) : undefined,
        articles: ordered.filter((a) => a.id !== featured?.id).map(toDigestArticle),
        appeal: content.appealBlock ?? undefined,
      });
    }
    case 'appeal':
      return renderAppealEmail({
        site,
        ...personal,
        subject: campaign.subject,
        preheader: campaign.preheader ?? undefined,
        headline: content.headline,
        body: content.body,
        donateUrl: content.donateUrl,
        donateLabel: content.donateLabel,
        progress: content.progress ?? undefined,
      });
    case 'custom': {
      const compiled = await compileMjml(content.mjml);
      if (!compiled.ok) {
        throw new AppError('conflict', `The MJML body is not valid: ${compiled.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)).join('; ')}`);
      }
      // A draft saved before this check existed is held to it too.
      const active = activeContent(compiled.html);
      if (active) throw new AppError('conflict', unsafeMjmlMessage(active));
      return renderCustomEmail({ subject: campaign.subject, html: compiled.html }, personal);
    }
  }
}
