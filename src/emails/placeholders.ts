import type { Personalisation } from '../../emails/_components/types';

/**
 * Placeholders for rendering a campaign once for all its readers.
 *
 * Each token is `{{{BROADSIDE_<SLOT>_<nonce>}}}`: only letters, digits, braces and underscores,
 * so React leaves it untouched in text and in attributes, and html-to-text copies it into the
 * text part as it is. The nonce is random per campaign render, so an article title or an
 * editor's note that happens to contain a placeholder-looking string is never substituted.
 * Keep the nonce with a stored render if it is to be personalised later.
 */
export const slots = ['name', 'unsubscribeUrl', 'preferencesUrl', 'viewInBrowserUrl', 'readerToken', 'actionUrl'] as const;
export type Slot = (typeof slots)[number];

const tokenNames: Record<Slot, string> = {
  name: 'NAME',
  unsubscribeUrl: 'UNSUBSCRIBE_URL',
  preferencesUrl: 'PREFERENCES_URL',
  viewInBrowserUrl: 'VIEW_URL',
  readerToken: 'READER',
  actionUrl: 'ACTION_URL',
};

export interface Placeholders {
  readonly nonce: string;
  /** Spread into a template's props: `renderDigestEmail({ ...content, ...placeholders.values })`. */
  readonly values: Required<{ [K in Slot]: string }> & Personalisation;
}

const NONCE = /^[0-9a-z]{8,64}$/i;

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh set of placeholders, or the set of an earlier render when given its nonce. */
export function createPlaceholders(nonce: string = randomNonce()): Placeholders {
  if (!NONCE.test(nonce)) throw new Error('placeholder nonce must be 8 to 64 letters or digits');
  const token = (slot: Slot) => `{{{BROADSIDE_${tokenNames[slot]}_${nonce}}}}`;
  return {
    nonce,
    values: {
      name: token('name'),
      unsubscribeUrl: token('unsubscribeUrl'),
      preferencesUrl: token('preferencesUrl'),
      viewInBrowserUrl: token('viewInBrowserUrl'),
      readerToken: token('readerToken'),
      actionUrl: token('actionUrl'),
    },
  };
}
