/**
 * Issue 14 made personalisation and the paired reader links quicker; nothing a reader receives
 * may change. The links are compared with tokens made by main's code before the change (commit
 * ab82cb4), the emails with main's personalisation kept in test/support/personalise-before.ts,
 * for a digest with tracked links, an appeal and a custom campaign, and readers whose names need
 * escaping, normalising or the fallback.
 */
import { describe, expect, it } from 'vitest';
import { renderCustomEmail } from '../../src/emails/custom-email';
import { compileMjml } from '../../src/emails/mjml';
import { compilePersonalised } from '../../src/emails/personalise';
import { createPlaceholders } from '../../src/emails/placeholders';
import { renderAppealEmail, renderDigestEmail } from '../../src/emails/render';
import { flatText } from '../../src/mailer/mail-text';
import { campaignReaderLinks } from '../../src/subscribers/links';
import { TokenSigner } from '../../src/tokens';
import { clickUrl, openUrl, trackableLinks } from '../../src/tracking/links';
import { addOpenPixel, linksIn, rewriteLinks } from '../../src/tracking/rewrite-links';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { personaliseBefore } from '../support/personalise-before';
import { digestProps, sampleSite } from './helpers';

const config = { publicUrl: 'https://letters.example.net' };
const signer = new TokenSigner('personalise-before-after-secret-0123456789');
const links = campaignReaderLinks({ signer, config }, 31, 1795400000_000, true);

/** Made by main's campaignReaderLinks before the change (campaign 31, paired, the secret above). */
const before: Record<number, [unsubscribeToken: string, readerToken: string]> = {
  1: ['dW5zdWJzY3JpYmU6MToxNzk1NDAwMDAwOjMx.1ueVpRjFpbfet9hBOAJc5A', '31.1.9f9zJGiQAOpGDoaxMb9BKA'],
  9: ['dW5zdWJzY3JpYmU6OToxNzk1NDAwMDAwOjMx.RO6vcd4WBshp3ih71HTpWw', '31.9.6-ff3fVNC9_1tjcDZSvjHQ'],
  10: ['dW5zdWJzY3JpYmU6MTA6MTc5NTQwMDAwMDozMQ.e9J_ORKrLIi2qOnMBNH67A', '31.10.TR_LjgbiufKAlztYv2adnw'],
  100: ['dW5zdWJzY3JpYmU6MTAwOjE3OTU0MDAwMDA6MzE.HN6DcqUTyWrh95DrfRCvvw', '31.100.LiM7sRR4PBmXfOIKsP5Jlw'],
  48211: ['dW5zdWJzY3JpYmU6NDgyMTE6MTc5NTQwMDAwMDozMQ.gO7VnsG0du-go4yRxmoy3w', '31.48211.WJ5INunjV24ceQoT3SbsEA'],
  1000000: ['dW5zdWJzY3JpYmU6MTAwMDAwMDoxNzk1NDAwMDAwOjMx.V7_gEc3UbpRSIsgKf4eOag', '31.1000000.1QUdJi0-BrusJV4QYgc7rA'],
  9007199254740991: ['dW5zdWJzY3JpYmU6OTAwNzE5OTI1NDc0MDk5MToxNzk1NDAwMDAwOjMx.a3iPnqqTVwJdC10s80AAfw', '31.9007199254740991.z5HOZ7RkYm-9gqobKMnZ0g'],
};

const names = [null, '', '  ', 'Ada', 'Zoë O’Brien', '王芳', '👩🏽‍💻 Ada', 'Tom & Jerry', "O'Brien", `"Q" <b>O'Neil</b>`, '&amp;', '  spaced\tout\nover  ', 'nul\u0000byte', 'lone \ud800 surrogate', 'a\u00a0b\u200bc'];

const customMjml = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Dear {{name}}, <a href="https://www.northgate-courier.example/a?x=1&amp;y=2">read this</a>.</mj-text>
  <mj-text><a href="{{view_in_browser_url}}" title="For {{name}}">Online</a> · <a href="{{preferences_url}}">Settings</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

/** A campaign's stored render as the send keeps it: placeholders, then tracked links and the pixel. */
async function stored(render: (p: Personalisation) => Promise<RenderedEmail>) {
  const placeholders = createPlaceholders();
  const once = await render(placeholders.values);
  const urls = trackableLinks(config, linksIn(once.html));
  const tokens = new Map(urls.map((u, i) => [u, `31.${i}.AbCdEfGhIjKlMnOpQrStUv`]));
  const reader = placeholders.values.readerToken;
  const tracked = rewriteLinks(once, (url) => (tokens.has(url) ? clickUrl(config, tokens.get(url)!, reader) : null));
  return { email: { ...tracked, html: addOpenPixel(tracked.html, openUrl(config, reader)) }, placeholders };
}

describe('personalisation after issue 14', async () => {
  const custom = await compileMjml(customMjml);
  if (!custom.ok) throw new Error(JSON.stringify(custom.errors));
  const kinds = {
    digest: (p: Personalisation) => renderDigestEmail({ ...digestProps(), ...p }),
    appeal: (p: Personalisation) => renderAppealEmail({ site: sampleSite, ...p, headline: 'Keep the Courier free', body: 'Please give.', donateUrl: 'https://www.northgate-courier.example/support/' }),
    custom: async (p: Personalisation) => renderCustomEmail({ subject: 'News for {{name}}', html: custom.html }, p),
  };

  it('signs every reader the same links as before (tokens already in inboxes)', () => {
    for (const [id, [unsubscribe, readerToken]] of Object.entries(before)) {
      expect(links(Number(id))).toEqual({
        unsubscribeUrl: `${config.publicUrl}/unsubscribe/${unsubscribe}`,
        preferencesUrl: `${config.publicUrl}/preferences/${unsubscribe}`,
        readerToken,
        linksHtmlSafe: true,
      });
    }
  });

  it.each(Object.keys(kinds))('%s: the same subject, HTML and text as before, whole and in pieces, for every reader', async (kind) => {
    const { email, placeholders } = await stored(kinds[kind as keyof typeof kinds]);
    const now = compilePersonalised(email, placeholders);
    const then = personaliseBefore(email, placeholders);
    const viewInBrowserUrl = `${config.publicUrl}/archive/31?kind='digest'`;
    let checked = 0;
    for (const id of Object.keys(before).map(Number))
      for (const name of names) {
        const reader: Personalisation = { name, viewInBrowserUrl, ...links(id) };
        const expected = then(reader);
        expect(now(reader)).toEqual(expected);
        const pieces = now.pieces(reader);
        expect({ subject: pieces.subject, html: flatText(pieces.html), text: flatText(pieces.text) }).toEqual(expected);
        checked++;
      }
    expect(checked).toBe(Object.keys(before).length * names.length);
    // The render holds what the comparison is about: names, every link, the reader's token.
    expect([...now.htmlSlots].sort()).toEqual(kind === 'custom' ? ['name', 'preferencesUrl', 'readerToken', 'unsubscribeUrl', 'viewInBrowserUrl'] : expect.arrayContaining(['name', 'readerToken', 'unsubscribeUrl']));
  });
});
