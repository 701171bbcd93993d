import type { Deps } from '../deps';

/** Confirmation links stop working after a week; the reader can simply subscribe again. */
export const CONFIRM_MAX_AGE_SECONDS = 7 * 24 * 3600;

/** Token issue times are in whole seconds since the epoch. */
const epochSeconds = (ms: number) => Math.floor(ms / 1000);

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

/**
 * A campaign's personal links for each of its readers, synchronously, one signed token a reader:
 * the unsubscribe link (the same bytes `unsubscribeUrl` makes for that campaign and time) and a
 * preferences link that carries that same unsubscribe token (`checkPreferencesToken` accepts
 * both purposes). Sharing is safe because an unsubscribe token grants nothing the preferences
 * page does not already offer its holder: the unsubscribe page itself links to a fresh
 * preferences page for the same reader. A send thereby signs one token per reader, not two.
 */
export function campaignReaderLinks(
  deps: Pick<Deps, 'signer'> & { config: Pick<Deps['config'], 'publicUrl'> },
  campaignId: number,
  at: number,
) {
  const token = deps.signer.readerSigner({ purpose: 'unsubscribe', issuedAt: epochSeconds(at), extra: String(campaignId) });
  const base = deps.config.publicUrl;
  return (subscriberId: number) => {
    const t = token(subscriberId);
    return { unsubscribeUrl: `${base}/unsubscribe/${t}`, preferencesUrl: `${base}/preferences/${t}` };
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
  const targets = [`<${url}>`];
  if (config.unsubscribeMailto) targets.push(`<mailto:${config.unsubscribeMailto}?subject=unsubscribe>`);
  return {
    'List-Unsubscribe': targets.join(', '),
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
