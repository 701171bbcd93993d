/**
 * A campaign's personal links may skip HTML escaping (`linksHtmlSafe`, src/subscribers/links.ts
 * and src/emails/personalise.ts): what a reader receives must be the same as when every link is
 * escaped, and the links may say so only when it is true. Public URLs with characters React
 * escapes (`&`, `'`, …) are legal in a URL's path and query, so they are tried too.
 */
import { describe, expect, it } from 'vitest';
import { compilePersonalised } from '../../src/emails/personalise';
import { createPlaceholders } from '../../src/emails/placeholders';
import { renderDigestEmail } from '../../src/emails/render';
import { escapeHtml } from '../../src/emails/escape-html';
import { flatText } from '../../src/mailer/mail-text';
import { campaignReaderLinks } from '../../src/subscribers/links';
import { TokenSigner } from '../../src/tokens';
import { digestProps } from './helpers';

const signer = new TokenSigner('personalise-safe-links-secret-0123456789');
const publicUrls = ['https://letters.example.net', 'http://localhost:8787', "https://example.org/o'brien", 'https://example.org/?a=1&b=2', 'https://example.org/"x"/<y>'];
const ids = [1, 9, 10, 999, 48211, 1_000_000, 9007199254740991];
const names = [null, 'Ada', 'Tom & Jerry', '王芳'];

describe('links that skip HTML escaping', async () => {
  const placeholders = createPlaceholders();
  const personalise = compilePersonalised(await renderDigestEmail({ ...digestProps(), ...placeholders.values }), placeholders);

  it.each(publicUrls)('say so exactly when escaping would leave them as they are (%s)', (publicUrl) => {
    for (const paired of [true, false]) {
      const links = campaignReaderLinks({ signer, config: { publicUrl } }, 31, 1795400000_000, paired);
      for (const id of ids) {
        const l = links(id);
        expect(l.linksHtmlSafe).toBe(escapeHtml(l.unsubscribeUrl) === l.unsubscribeUrl && escapeHtml(l.preferencesUrl) === l.preferencesUrl);
      }
    }
    expect(campaignReaderLinks({ signer, config: { publicUrl } }, 31, 1795400000_000)(7).linksHtmlSafe).toBe(escapeHtml(publicUrl) === publicUrl);
  });

  it.each(publicUrls)('give every reader the same email as links escaped one by one (%s)', (publicUrl) => {
    expect(personalise.htmlSlots.has('unsubscribeUrl') && personalise.htmlSlots.has('preferencesUrl')).toBe(true);
    const links = campaignReaderLinks({ signer, config: { publicUrl } }, 31, 1795400000_000, true);
    for (const id of ids)
      for (const name of names) {
        const reader = { name, viewInBrowserUrl: `${publicUrl}/archive/31`, ...links(id) };
        const escaped = personalise({ ...reader, linksHtmlSafe: false });
        expect(personalise(reader)).toEqual(escaped);
        const pieces = personalise.pieces(reader);
        expect({ subject: pieces.subject, html: flatText(pieces.html), text: flatText(pieces.text) }).toEqual(escaped);
        // The escaped form is what the HTML holds: a URL with `&` appears as `&amp;`.
        expect(escaped.html).toContain(escapeHtml(reader.unsubscribeUrl));
      }
  });
});
