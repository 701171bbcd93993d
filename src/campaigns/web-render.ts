import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { compilePersonalised } from '../emails/personalise';
import { createPlaceholders } from '../emails/placeholders';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { archiveUrl } from './archive-url';
import { renderCampaign } from './render-campaign';

type WebDeps = Pick<Deps, 'db' | 'config' | 'now'>;


/**
 * The links a campaign shows when it is not in one reader's inbox (preview, test, archive): no
 * personal token, so a forwarded page or a test email can't unsubscribe anyone.
 */
export const genericPersonalisation = (config: Deps['config'], campaignId: number): Personalisation => ({
  name: null,
  unsubscribeUrl: `${config.publicUrl}/unsubscribe`,
  preferencesUrl: `${config.publicUrl}/preferences`,
  viewInBrowserUrl: archiveUrl(config, campaignId),
});

/**
 * A campaign as a page or preview: a sent (or sending) campaign from the render its readers got,
 * a draft from its current content.
 */
export async function renderGeneric(deps: WebDeps, campaign: Campaign): Promise<RenderedEmail> {
  const personal = genericPersonalisation(deps.config, campaign.id);
  if (campaign.renderedHtml && campaign.renderedText && campaign.placeholderNonce) {
    const personalise = compilePersonalised(
      { subject: campaign.renderedSubject ?? campaign.subject, html: campaign.renderedHtml, text: campaign.renderedText },
      createPlaceholders(campaign.placeholderNonce),
    );
    return personalise(personal);
  }
  return renderCampaign(deps, campaign, personal);
}
