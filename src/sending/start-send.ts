import { sql } from 'drizzle-orm';
import { getCampaign } from '../campaigns/queries';
import { renderCampaign } from '../campaigns/render-campaign';
import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { recheckDigestArticles } from '../digests/withdrawn';
import { AppError } from '../errors';
import { hasUnsubscribePlaceholder } from '../emails/mjml';
import { createPlaceholders } from '../emails/placeholders';
import { MAX_BATCH } from '../mailer/mailer';
import { prepareTracking } from '../tracking/prepare-tracking';
import { activeHoldReason } from '../campaigns/complaint-guard';
import { canMove, moveCampaign, moveCampaignQuery } from '../campaigns/status';
import { audienceWhere } from './audience';
import { sendSettingsOf } from './campaign-messages';


type StartDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'jobs'>;

/**
 * Starts sending a draft or scheduled campaign: renders it once (with placeholders) and writes the
 * ledger — one delivery per reader in the audience, numbered into chunks of MAX_BATCH (100), one POST /emails/batch each — and the chunk
 * rows, all in one batch (a transaction on libSQL and D1). Set-based INSERT … SELECT, so a
 * million readers never pass through this process's memory or cost a round trip each.
 * Safe to call twice: the status guard lets only one call write the ledger.
 */
export async function startSend(deps: StartDeps, campaignId: number): Promise<Campaign> {
  const campaign = await getCampaign(deps.db, campaignId);
  if (!campaign) throw new AppError('not_found', 'No campaign with this id.');
  if (!canMove('start', campaign.status)) {
    throw new AppError('conflict', `A ${campaign.status} campaign cannot be started.`);
  }
  await recheckDigestArticles(deps, campaign);
  if (campaign.topic === 'appeals') {
    // The complaint guard holds further appeals until an editor releases it.
    const held = await activeHoldReason(deps);
    if (held) {
      const paused = await moveCampaign(deps.db, campaignId, 'holdAtStart', { now: deps.now(), reason: held });
      if (paused) return paused;
    }
  }
  if (campaign.content.kind === 'custom' && !hasUnsubscribePlaceholder(campaign.content.mjml)) {
    throw new AppError('conflict', 'This email has no unsubscribe link: add href="{{unsubscribe_url}}" to a link or button in the MJML.');
  }
  const placeholders = createPlaceholders();
  // Click and open tracking rewrite the render once; the stored render is what readers get.
  const tracking = await prepareTracking(deps.config, campaignId, await renderCampaign(deps, campaign, placeholders.values), placeholders.values.readerToken);
  const rendered = tracking.rendered;
  const now = deps.now();
  const where = audienceWhere(campaign, { now, appealMinDays: deps.config.appealMinDays });

  // Raw SQL because the chunk number comes from a window function (row_number), which the
  // Drizzle builder cannot express in an INSERT … SELECT. Every statement after the first checks
  // that the first one applied (status 'sending' with this started_at), so a second, concurrent
  // start writes nothing.
  // The chunk size is inlined: libSQL binds JS numbers as REAL, which would make this a real
  // division and every reader a chunk of their own.
  const chunkSize = sql.raw(String(Math.trunc(MAX_BATCH)));
  const startedHere = sql`exists (select 1 from campaigns where id = ${campaignId} and status = 'sending' and started_at = ${now})`;
  await deps.db.batch([
    moveCampaignQuery(deps.db, 'start', campaignId, {
      now,
      values: {
        startedAt: now,
        renderedSubject: rendered.subject,
        renderedHtml: rendered.html,
        renderedText: rendered.text,
        placeholderNonce: placeholders.nonce,
        sendSettings: sendSettingsOf(deps.config),
      },
    }),
    deps.db.run(sql`
      insert into deliveries (campaign_id, subscriber_id, chunk, status)
      select ${campaignId}, s.id, (row_number() over (order by s.id) - 1) / ${chunkSize}, 'queued'
      from subscribers s
      where ${where} and ${startedHere}`),
    // Chunks are numbered 0…max without gaps (row_number above), so they are counted out from
    // the highest (one index lookup) rather than found by reading every delivery again.
    deps.db.run(sql`
      with recursive n(chunk) as (
        select 0 where exists (select 1 from deliveries where campaign_id = ${campaignId})
        union all
        select chunk + 1 from n where chunk < (select max(chunk) from deliveries where campaign_id = ${campaignId}))
      insert into send_chunks (campaign_id, chunk, status, attempts)
      select ${campaignId}, chunk, 'pending', 0 from n
      where ${startedHere}`),
    deps.db.run(sql`
      update campaigns set audience_count = (select count(*) from deliveries where campaign_id = ${campaignId})
      where id = ${campaignId} and status = 'sending' and started_at = ${now}`),
    ...tracking.statements(deps.db, startedHere),
  ]);
  const after = (await getCampaign(deps.db, campaignId))!;
  if (after.startedAt !== now) {
    throw new AppError('conflict', `The campaign is already ${after.status}.`);
  }
  deps.logger.info('send started', { campaignId, audience: after.audienceCount });
  await deps.jobs?.chunksReady(campaignId);
  return after;
}
