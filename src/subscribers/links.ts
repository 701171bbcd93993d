import type { Deps } from '../deps';
import { escapeHtml } from '../emails/escape-html';
import { epochSeconds } from '../tokens';

/** Confirmation links stop working after a week; the reader can simply subscribe again. */
export const CONFIRM_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** The personal links of one reader, signed for their purpose. */
export async function confirmUrl(deps: Pick<Deps, 'signer' | 'config'>, subscriberId: number, at: number) {
  const token = await deps.signer.sign({ purpose: 'confirm', subscriberId, issuedAt: epochSeconds(at) });
  return `${deps.config.publicUrl}/confirm/${token}`;
}

/** `campaignId` ties an unsubscribe to the email it came from (attribution). */
export async function unsubscribeUrl(
  deps: Pick<Deps, 'signer' | 'config'>,
  subscriberId: number,
  at: number,
  campaignId?: number,
) {
  const token = await deps.signer.sign({
    purpose: 'unsubscribe',
    subscriberId,
    issuedAt: epochSeconds(at),
    extra: campaignId === undefined ? undefined : String(campaignId),
  });
  return `${deps.config.publicUrl}/unsubscribe/${token}`;
}

export interface ReaderLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** A paired campaign's tracking reader token; unpaired campaigns sign it apart (src/tracking/reader-tokens.ts). */
  readerToken?: string;
  /**
   * True when both URLs are as HTML escaping leaves them (the public URL has no `&<>"'`; tokens
   * never do): the personalisation then takes them as they are (src/emails/personalise.ts).
   */
  linksHtmlSafe: boolean;
}

/**
 * A campaign's personal links for each of its readers, synchronously, one signed token a reader:
 * the unsubscribe link and a preferences link that carries that same unsubscribe token
 * (`checkPreferencesToken` accepts both purposes). Sharing is safe because an unsubscribe token
 * grants nothing the preferences page does not already offer its holder: the unsubscribe page
 * itself links to a fresh preferences page for the same reader.
 *
 * `paired` (the campaign's send settings say `pairedLinks`): one MAC per reader also signs the
 * tracking reader token (src/tokens.ts `readerPair`, where the security argument is). Unpaired
 * (sends started before pairing): the unsubscribe token is the bytes `unsubscribeUrl` makes for
 * that campaign and time, and the tracking token is signed apart, as those sends always did.
 */
export function campaignReaderLinks(
  deps: Pick<Deps, 'signer'> & { config: Pick<Deps['config'], 'publicUrl'> },
  campaignId: number,
  at: number,
  paired = false,
): (subscriberId: number) => ReaderLinks {
  const base = deps.config.publicUrl;
  const unsubscribe = `${base}/unsubscribe/`;
  const preferences = `${base}/preferences/`;
  // Tokens are base64url and dots, so the URLs are safe exactly when their constant start is.
  const linksHtmlSafe = escapeHtml(unsubscribe) === unsubscribe && escapeHtml(preferences) === preferences;
  if (paired) {
    const pair = deps.signer.readerPair(campaignId, epochSeconds(at));
    return (subscriberId) => {
      const p = pair(subscriberId);
      return { unsubscribeUrl: unsubscribe + p.unsubscribe, preferencesUrl: preferences + p.unsubscribe, readerToken: p.readerToken, linksHtmlSafe };
    };
  }
  const token = deps.signer.readerSigner({ purpose: 'unsubscribe', issuedAt: epochSeconds(at), extra: String(campaignId) });
  return (subscriberId) => {
    const t = token(subscriberId);
    return { unsubscribeUrl: unsubscribe + t, preferencesUrl: preferences + t, linksHtmlSafe };
  };
}

export async function preferencesUrl(deps: Pick<Deps, 'signer' | 'config'>, subscriberId: number, at: number) {
  const token = await deps.signer.sign({ purpose: 'preferences', subscriberId, issuedAt: epochSeconds(at) });
  return `${deps.config.publicUrl}/preferences/${token}`;
}

/**
 * RFC 2369 + RFC 8058 headers for an email with a personal unsubscribe link (campaigns and the
 * welcome email): mail clients show an "Unsubscribe" button that POSTs once.
 */
export function listUnsubscribeHeaders(
  config: Pick<Deps['config'], 'unsubscribeMailto'>,
  url: string,
): Record<string, string> {
  // Built for every email of a send: one string, no array to join.
  const mailto = config.unsubscribeMailto ? `, <mailto:${config.unsubscribeMailto}?subject=unsubscribe>` : '';
  return {
    'List-Unsubscribe': `<${url}>${mailto}`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
