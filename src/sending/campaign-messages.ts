import { archiveUrl } from '../campaigns/archive-url';
import type { Campaign, SendSettings } from '../db/schema';
import type { Deps } from '../deps';
import { compilePersonalised, type Personaliser } from '../emails/personalise';
import { createPlaceholders } from '../emails/placeholders';
import type { EmailMessage, EmailTag } from '../mailer/mailer';
import { campaignReaderLinks, listUnsubscribeHeaders } from '../subscribers/links';
import { readerTokens, type ReaderTokens } from '../tracking/reader-tokens';
import type { ChunkMember } from './chunk-queries';

type MessageDeps = Pick<Deps, 'config' | 'signer' | 'db'>;

/** What a send started now would be sent with (frozen on the campaign by startSend). */
export const sendSettingsOf = (config: Deps['config']): SendSettings => ({
  from: config.mailFrom,
  replyTo: config.mailReplyTo ?? null,
  publicUrl: config.publicUrl,
  unsubscribeMailto: config.unsubscribeMailto ?? null,
  pairedLinks: true,
});

/**
 * Builds a campaign's messages from its stored render and the settings frozen when its send
 * started (a campaign started before those were kept falls back to the configuration). Personal links are signed with the
 * campaign's start time as their issue time, so the same reader always gets the same bytes:
 * a retried chunk is identical to its first try.
 */
export class CampaignMessages {
  private readonly personalise: Personaliser;
  /** deps with the frozen settings in place of the configuration's. */
  private readonly frozen: MessageDeps;
  private readonly settings: SendSettings;
  /** The reader's unsubscribe and preferences links (one signed token for both) and, paired, tracking token (links.ts). */
  private readonly links: ReturnType<typeof campaignReaderLinks>;
  /** The campaign's tags, the same for every reader (each email adds its delivery's). */
  private readonly tags: EmailTag[];
  /** The campaign's archive link: one string for every reader (personalise escapes it once). */
  private readonly viewInBrowserUrl: string;
  /** Set when the stored render has tracked links or an open pixel (see src/tracking/). */
  private tokens?: Promise<ReaderTokens>;

  constructor(
    private readonly deps: MessageDeps,
    readonly campaign: Campaign,
  ) {
    if (!campaign.renderedHtml || !campaign.renderedText || !campaign.placeholderNonce || campaign.startedAt === null) {
      throw new Error(`campaign ${campaign.id} has no stored render`);
    }
    this.settings = campaign.sendSettings ?? sendSettingsOf(deps.config);
    const config = {
      ...deps.config,
      publicUrl: this.settings.publicUrl,
      mailFrom: this.settings.from,
      mailReplyTo: this.settings.replyTo ?? undefined,
      unsubscribeMailto: this.settings.unsubscribeMailto ?? undefined,
    };
    this.frozen = { ...deps, config };
    // Paired only if the send started paired (its frozen settings say so, never the fallback).
    this.links = campaignReaderLinks(this.frozen, campaign.id, campaign.startedAt, campaign.sendSettings?.pairedLinks === true);
    this.viewInBrowserUrl = archiveUrl(config, campaign.id);
    this.tags = [{ name: 'campaign', value: String(campaign.id) }, { name: 'kind', value: campaign.kind }];
    this.personalise = compilePersonalised(
      { subject: campaign.renderedSubject ?? campaign.subject, html: campaign.renderedHtml, text: campaign.renderedText },
      createPlaceholders(campaign.placeholderNonce),
    );
  }

  async build(member: ChunkMember): Promise<EmailMessage> {
    const { config } = this.frozen;
    const c = this.campaign;
    const links = this.links(member.subscriberId);
    if (links.readerToken === undefined && this.personalise.htmlSlots.has('readerToken')) this.tokens ??= readerTokens(this.deps.db, c.id);
    // In pieces: the batch holds the campaign's HTML once, not once per reader (mail-text.ts).
    const email = this.personalise.pieces({
      name: member.name,
      unsubscribeUrl: links.unsubscribeUrl,
      preferencesUrl: links.preferencesUrl,
      viewInBrowserUrl: this.viewInBrowserUrl,
      readerToken: links.readerToken ?? (this.tokens ? (await this.tokens)(member.subscriberId) : undefined),
      linksHtmlSafe: links.linksHtmlSafe,
    });
    return {
      from: this.settings.from,
      to: member.email,
      replyTo: this.settings.replyTo ?? undefined,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: listUnsubscribeHeaders(config, links.unsubscribeUrl),
      // Webhooks find the delivery by its tag (src/webhooks/apply-event.ts); a chunk fixed
      // before the tag existed is sent as it was first tried.
      tags: member.tagged ? [...this.tags, { name: 'delivery', value: String(member.id) }] : this.tags,
    };
  }
}

/** The same key for every try of the same chunk, and different for any other chunk or send. */
export const chunkIdempotencyKey = (campaign: Pick<Campaign, 'id' | 'startedAt'>, chunk: number) =>
  `broadside-campaign-${campaign.id}-${campaign.startedAt}-chunk-${chunk}`;

