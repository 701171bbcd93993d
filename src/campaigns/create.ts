import { getArticlesByIds } from '../articles/queries';
import type { AppealContent, Campaign, CampaignContent, DigestContent } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { compileMjml } from '../emails/mjml';
import { activeContent, unsafeMjmlMessage } from './web-safe-html';
import type { CreateCampaignInput, PatchCampaignInput } from './content';
import { getCampaign, insertCampaign } from './queries';
import { canMove, moveCampaign, type MoveValues } from './status';

type CampaignDeps = Pick<Deps, 'db' | 'config' | 'now'>;

async function checkArticles(deps: CampaignDeps, ids: number[], featuredId: number | null) {
  const found = await getArticlesByIds(deps.db, ids);
  const missing = ids.filter((id) => !found.some((a) => a.id === id));
  if (missing.length) throw new AppError('bad_request', `No article with id ${missing.join(', ')}.`, { field: 'articleIds' });
  if (featuredId !== null && !ids.includes(featuredId)) {
    const [featured] = await getArticlesByIds(deps.db, [featuredId]);
    if (!featured) throw new AppError('bad_request', `No article with id ${featuredId}.`, { field: 'featuredId' });
  }
}

/** MJML is checked when it is saved, so the editor sees MJML's own messages straight away. */
async function checkMjml(mjml: string) {
  const result = await compileMjml(mjml);
  if (!result.ok) {
    throw new AppError('bad_request', 'The MJML body is not valid.', { field: 'mjml', errors: result.errors });
  }
  const active = activeContent(result.html);
  if (active) throw new AppError('bad_request', unsafeMjmlMessage(active), { field: 'mjml' });
}

export async function createCampaign(deps: CampaignDeps, input: CreateCampaignInput): Promise<Campaign> {
  const now = deps.now();
  const base = { status: 'draft' as const, preheader: input.preheader ?? null, createdAt: now, updatedAt: now };
  switch (input.kind) {
    case 'digest': {
      const articleIds = input.articleIds ?? [];
      const featuredId = input.featuredId ?? null;
      await checkArticles(deps, articleIds, featuredId);
      const content: DigestContent = {
        kind: 'digest',
        intro: input.intro ?? '',
        articleIds: featuredId !== null && !articleIds.includes(featuredId) ? [featuredId, ...articleIds] : articleIds,
        featuredId,
        appealBlock: input.appealBlock ?? null,
      };
      return insertCampaign(deps.db, {
        ...base,
        kind: 'digest',
        topic: 'digest',
        subject: input.subject ?? `${deps.config.siteName}: the weekly digest`,
        content,
      });
    }
    case 'appeal': {
      const content: AppealContent = {
        kind: 'appeal',
        headline: input.headline ?? input.subject,
        body: input.body,
        donateUrl: input.donateUrl,
        donateLabel: input.donateLabel,
        progress: input.progress ?? null,
      };
      return insertCampaign(deps.db, {
        ...base,
        kind: 'appeal',
        topic: 'appeals',
        subject: input.subject,
        content,
        excludeDonors: input.excludeDonors ?? false,
      });
    }
    case 'custom':
      await checkMjml(input.mjml);
      return insertCampaign(deps.db, {
        ...base,
        kind: 'custom',
        topic: input.topic,
        subject: input.subject,
        content: { kind: 'custom', mjml: input.mjml },
      });
  }
}

/** Edits a draft. Anything past draft is refused with 409: what was sent must stay what was sent. */
export async function editCampaign(deps: CampaignDeps, campaign: Campaign, input: PatchCampaignInput & Record<string, unknown>): Promise<Campaign> {
  if (!canMove('edit', campaign.status)) throw new AppError('conflict', `Only drafts can be edited; this campaign is ${campaign.status}.`);
  const content = structuredClone(campaign.content) as CampaignContent;
  const values: MoveValues = {};
  if (typeof input.subject === 'string') values.subject = input.subject;
  if (input.preheader !== undefined) values.preheader = (input.preheader as string | null) ?? null;
  if (content.kind === 'digest') {
    if (input.intro !== undefined) content.intro = input.intro as string;
    if (input.articleIds !== undefined) content.articleIds = input.articleIds as number[];
    if (input.featuredId !== undefined) content.featuredId = (input.featuredId as number | null) ?? null;
    if (input.appealBlock !== undefined) content.appealBlock = (input.appealBlock as DigestContent['appealBlock']) ?? null;
    await checkArticles(deps, content.articleIds, content.featuredId);
  } else if (content.kind === 'appeal') {
    for (const key of ['headline', 'body', 'donateUrl', 'donateLabel', 'progress'] as const) {
      if (input[key] !== undefined) (content as unknown as Record<string, unknown>)[key] = input[key];
    }
    if (typeof input.excludeDonors === 'boolean') values.excludeDonors = input.excludeDonors;
  } else {
    if (typeof input.mjml === 'string') {
      await checkMjml(input.mjml);
      content.mjml = input.mjml;
    }
    if (input.topic === 'digest' || input.topic === 'appeals') values.topic = input.topic;
  }
  values.content = content;
  const row = await moveCampaign(deps.db, campaign.id, 'edit', { now: deps.now(), values });
  if (!row) {
    const now = await getCampaign(deps.db, campaign.id);
    throw new AppError('conflict', `Only drafts can be edited; this campaign is ${now?.status ?? 'gone'}.`);
  }
  return row;
}
