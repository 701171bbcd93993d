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
