import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCustomEmail } from '../../src/emails/custom-email';
import { compileMjml } from '../../src/emails/mjml';
import { compilePersonalised } from '../../src/emails/personalise';
import { createPlaceholders } from '../../src/emails/placeholders';
import { renderAppealEmail, renderDigestEmail } from '../../src/emails/render';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { clickUrl, openUrl, trackableLinks } from '../../src/tracking/links';
import { addOpenPixel, linksIn, rewriteLinks } from '../../src/tracking/rewrite-links';
import { digestProps, sampleSite } from './helpers';

/**
 * The fast path with click and open tracking: rewriting a campaign's placeholder render once and
 * personalising it per reader gives exactly the bytes of rewriting a render made for that reader
 * (with their reader token). The reader token is the new slot; templates never print it.
 */

type Render = (personal: Personalisation) => Promise<RenderedEmail>;
const config = { publicUrl: 'https://letters.example.net' };

const customMjml = `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Dear {{name}}, <a href="https://www.northgate-courier.example/a?x=1&amp;y=2">read this</a>.</mj-text>
  <mj-button href="https://www.northgate-courier.example/give">Give</mj-button>
  <mj-text><a href="{{view_in_browser_url}}">Online</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

async function templates(): Promise<Record<string, Render>> {
  const custom = await compileMjml(customMjml);
  if (!custom.ok) throw new Error(JSON.stringify(custom.errors));
  return {
    digest: (p) => renderDigestEmail({ ...digestProps(), ...p }),
    appeal: (p) =>
      renderAppealEmail({
        site: sampleSite,
        ...p,
        headline: 'Keep the Courier free',
        body: 'Please give. [Where it goes](https://www.northgate-courier.example/money?a=1&b="2")',
        donateUrl: 'https://www.northgate-courier.example/support/',
      }),
    custom: async (p) => renderCustomEmail({ subject: 'News for {{name}}', html: custom.html }, p),
  };
}

/** Tracking as the send applies it, for given link tokens and one reader token (or placeholder). */
function track(email: RenderedEmail, linkTokens: Map<string, string>, readerToken: string): RenderedEmail {
  const rewritten = rewriteLinks(email, (url) => {
    const token = linkTokens.get(url);
    return token === undefined ? null : clickUrl(config, token, readerToken);
  });
  return { ...rewritten, html: addOpenPixel(rewritten.html, openUrl(config, readerToken)) };
}

async function prepared(render: Render) {
  const placeholders = createPlaceholders();
  const once = await render(placeholders.values);
  const urls = trackableLinks(config, linksIn(once.html));
  const linkTokens = new Map(urls.map((u, i) => [u, `42.${i}.AbCdEfGhIjKlMnOpQrStUv`]));
  const personalise = compilePersonalised(track(once, linkTokens, placeholders.values.readerToken), placeholders);
  return { personalise, linkTokens, urls };
}

const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
const reader = fc.record({
  name: fc.oneof(fc.constant(null), fc.string({ unit: 'grapheme', maxLength: 20 })),
  unsubscribeUrl: url,
  preferencesUrl: url,
  viewInBrowserUrl: url,
  readerToken: fc.oneof(fc.constant('42.1007.ZyXwVuTsRqPoNmLkJiHgFe'), fc.string({ maxLength: 30 })),
});

describe('tracked links through the fast path', async () => {
  const all = await templates();

  it.each(Object.keys(all))('%s: personalised output equals tracking a render for that reader (property)', async (kind) => {
    const render = all[kind] as Render;
    const { personalise, linkTokens, urls } = await prepared(render);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    await fc.assert(
      fc.asyncProperty(reader, async (personal) => {
        const fast = personalise(personal);
        const slow = track(await render(personal), linkTokens, personal.readerToken);
        expect(fast.subject).toBe(slow.subject);
        expect(fast.text).toBe(slow.text);
        expect(fast.html).toBe(slow.html);
      }),
      { numRuns: 40 },
    );
  });

  it.each(Object.keys(all))('%s: every content link is tracked, no personal link is', async (kind) => {
    const { personalise, urls } = await prepared(all[kind] as Render);
    expect([...personalise.htmlSlots]).toContain('readerToken');
    const email = personalise({
      name: 'Ada',
      unsubscribeUrl: 'https://letters.example.net/unsubscribe/u.1',
      preferencesUrl: 'https://letters.example.net/preferences/p.1',
      viewInBrowserUrl: 'https://letters.example.net/archive/42',
      readerToken: '42.7.ZyXwVuTsRqPoNmLkJiHgFe',
    });
    const hrefs = linksIn(email.html);
    for (const u of urls) expect(hrefs).not.toContain(u);
    expect(hrefs).toContain('https://letters.example.net/r/42.0.AbCdEfGhIjKlMnOpQrStUv/42.7.ZyXwVuTsRqPoNmLkJiHgFe');
    expect(hrefs).toContain('https://letters.example.net/unsubscribe/u.1');
    expect(hrefs).toContain('https://letters.example.net/archive/42');
    expect(email.text).toContain('https://letters.example.net/unsubscribe/u.1');
    expect(email.text).not.toContain(urls[0]!);
    expect(email.html).toContain('src="https://letters.example.net/o/42.7.ZyXwVuTsRqPoNmLkJiHgFe"');
  });

  it('a copy without a reader token (archive, preview) keeps working links with an empty reader part', async () => {
    const { personalise } = await prepared(all.appeal as Render);
    const email = personalise({ name: null, unsubscribeUrl: 'u', preferencesUrl: 'p', viewInBrowserUrl: 'v' });
    expect(linksIn(email.html)).toContain('https://letters.example.net/r/42.0.AbCdEfGhIjKlMnOpQrStUv/');
    expect(email.html).not.toContain('BROADSIDE_');
  });
});
