import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCustomEmail } from '../../src/emails/custom-email';
import { compileMjml } from '../../src/emails/mjml';
import { compilePersonalised } from '../../src/emails/personalise';
import { createPlaceholders } from '../../src/emails/placeholders';
import { renderAppealEmail, renderDigestEmail } from '../../src/emails/render';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { digestProps, sampleSite } from './helpers';

/**
 * The fast path's promise: render once with placeholders, substitute per reader, and get exactly
 * the bytes a render for that reader would have produced.
 */

const hardNames = [
  'Zoë',
  'Ελένη',
  '王芳',
  "O'Brien",
  'O’Brien',
  'مريم',
  '👩🏽‍💻 Ada',
  '<script>alert(1)</script>',
  'Tom & Jerry',
  '"Quoted" <b>bold</b>',
  '&amp; already escaped',
  '  spaced\tout\nover lines  ',
  '',
  '   ',
  '\u200b',
  'nul\u0000byte',
  'lone \ud800 surrogate',
  '{{name}}',
  '{{{BROADSIDE_NAME_0123456789abcdef}}}',
];

type Render = (personal: Personalisation) => Promise<RenderedEmail>;

const customMjml = `<mjml>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Dear {{ name }}, this week in brief.</mj-text>
      <mj-button href="{{view_in_browser_url}}">Read it online</mj-button>
      <mj-text><a href="{{preferences_url}}" title="Settings for {{name}}">Preferences</a> ·
        <a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

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
        body: 'Please give what you can.',
        donateUrl: 'https://www.northgate-courier.example/support/',
      }),
    custom: async (p) => renderCustomEmail({ subject: 'News for {{name}}', html: custom.html }, p),
  };
}

const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
const name = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom(...hardNames),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const reader = fc.record({ name, unsubscribeUrl: url, preferencesUrl: url, viewInBrowserUrl: url });

describe('personalised output equals a render for that reader', async () => {
  const all = await templates();

  it.each(Object.keys(all))('%s, for every hard name', async (kind) => {
    const render = all[kind] as Render;
    const placeholders = createPlaceholders();
    const personalise = compilePersonalised(await render(placeholders.values), placeholders);
    for (const hard of hardNames) {
      const personal: Personalisation = {
        name: hard,
        unsubscribeUrl: "https://news.example/unsubscribe/a.b?c=1&d='2'",
        preferencesUrl: 'https://news.example/preferences/a.b?x=<y>&z="q"',
        viewInBrowserUrl: 'https://news.example/archive/7',
      };
      expect(personalise(personal)).toEqual(await render(personal));
    }
  });

  it.each(Object.keys(all))('%s, for arbitrary names and URLs (property)', async (kind) => {
    const render = all[kind] as Render;
    const placeholders = createPlaceholders();
    const personalise = compilePersonalised(await render(placeholders.values), placeholders);
    await fc.assert(
      fc.asyncProperty(reader, async (personal) => {
        const fast = personalise(personal);
        const slow = await render(personal);
        expect(fast.subject).toBe(slow.subject);
        expect(fast.text).toBe(slow.text);
        expect(fast.html).toBe(slow.html);
      }),
      { numRuns: 60 },
    );
  });
});

describe('compilePersonalised', () => {
  const reader: Personalisation = {
    name: '<b>Zoë</b> & co',
    unsubscribeUrl: 'https://news.example/u/1?a=1&b=2',
    preferencesUrl: 'https://news.example/p/1',
    viewInBrowserUrl: 'https://news.example/archive/1',
  };

  it('escapes names and URLs in the HTML and leaves them raw in the text', async () => {
    const placeholders = createPlaceholders();
    const email = compilePersonalised(await renderDigestEmail({ ...digestProps(), ...placeholders.values }), placeholders)(
      reader,
    );
    expect(email.html).toContain('Dear &lt;b&gt;Zoë&lt;/b&gt; &amp; co,');
    expect(email.html).toContain('href="https://news.example/u/1?a=1&amp;b=2"');
    expect(email.text).toContain('Dear <b>Zoë</b> & co,');
    expect(email.text).toContain('Unsubscribe https://news.example/u/1?a=1&b=2');
    expect(email.html).not.toContain('BROADSIDE_');
    expect(email.text).not.toContain('BROADSIDE_');
  });

  it('greets a reader without a name as "reader"', async () => {
    const placeholders = createPlaceholders();
    const email = compilePersonalised(await renderDigestEmail({ ...digestProps(), ...placeholders.values }), placeholders)({
      ...reader,
      name: '  ',
    });
    expect(email.text).toContain('Dear reader,');
  });

  it('leaves placeholder-looking text in the content alone', async () => {
    const other = createPlaceholders('0123456789abcdef');
    const lookalike = other.values.unsubscribeUrl;
    const placeholders = createPlaceholders();
    const rendered = await renderDigestEmail({
      ...digestProps({ articles: [{ title: `Headline ${lookalike}`, url: 'https://www.northgate-courier.example/x' }] }),
      ...placeholders.values,
    });
    const email = compilePersonalised(rendered, placeholders)(reader);
    expect(email.text).toContain(`### Headline ${lookalike}`);
    expect(email.text.split(reader.unsubscribeUrl).length - 1).toBe(1);
  });

  it('reports which personal links the HTML contains', async () => {
    const placeholders = createPlaceholders();
    const digest = compilePersonalised(await renderDigestEmail({ ...digestProps(), ...placeholders.values }), placeholders);
    expect([...digest.htmlSlots].sort()).toEqual(['name', 'preferencesUrl', 'unsubscribeUrl', 'viewInBrowserUrl']);
    const bare = compilePersonalised({ subject: 's', html: '<p>no links</p>', text: 'no links' }, placeholders);
    expect(bare.htmlSlots.size).toBe(0);
  });

  it('rebuilds the placeholders of a stored render from its nonce', () => {
    const first = createPlaceholders();
    expect(createPlaceholders(first.nonce)).toEqual(first);
    expect(() => createPlaceholders('}}}{{{')).toThrow();
  });
});
