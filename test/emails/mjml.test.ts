import { describe, expect, it } from 'vitest';
import { renderCustomEmail } from '../../src/emails/custom-email';
import { compileMjml, hasUnsubscribePlaceholder } from '../../src/emails/mjml';

const valid = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Dear {{name}}, our autumn event programme is here.</mj-text>
        <mj-button href="https://www.northgate-courier.example/events">See the events</mj-button>
        <mj-text><a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

describe('compileMjml', () => {
  it('compiles valid MJML to email HTML, keeping the placeholders for personalisation', async () => {
    const result = await compileMjml(valid, { validate: 'strict' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.html).toMatch(/^<!doctype html>/i);
    expect(result.html).toContain('our autumn event programme is here');
    expect(result.html).toContain('href="{{unsubscribe_url}}"');
    expect(result.warnings).toEqual([]);
  });

  it('refuses invalid MJML with MJML’s own messages and line numbers', async () => {
    const source = [
      '<mjml>',
      '  <mj-body>',
      '    <mj-section>',
      '      <mj-colum>',
      '        <mj-text colour="red">Hi</mj-text>',
      '      </mj-colum>',
      '    </mj-section>',
      '  </mj-body>',
      '</mjml>',
    ].join('\n');
    const result = await compileMjml(source, { validate: 'strict' });
    expect(result).toEqual({
      ok: false,
      errors: [
        { line: 4, message: "Element mj-colum doesn't exist or is not registered" },
        { line: 5, message: 'Attribute colour is illegal' },
      ],
    });
  });

  it('refuses a component in the wrong place', async () => {
    const result = await compileMjml('<mjml><mj-body><mj-text>Loose</mj-text></mj-body></mjml>');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toMatch(/mj-text cannot be used inside mj-body/);
  });

  it('refuses something that is not MJML at all', async () => {
    const result = await compileMjml('<p>Just HTML</p>');
    expect(result).toEqual({
      ok: false,
      errors: [{ line: null, message: expect.stringContaining('MJML document') }],
    });
  });

  it('in soft mode compiles anyway and returns the problems as warnings', async () => {
    const result = await compileMjml(
      '<mjml><mj-body><mj-section><mj-column><mj-text colour="red">Hi</mj-text></mj-column></mj-section></mj-body></mjml>',
      { validate: 'soft' },
    );
    expect(result).toMatchObject({ ok: true, warnings: [{ line: 1, message: 'Attribute colour is illegal' }] });
  });
});

describe('hasUnsubscribePlaceholder', () => {
  it('accepts the placeholder as a link or button target', () => {
    expect(hasUnsubscribePlaceholder(valid)).toBe(true);
    expect(hasUnsubscribePlaceholder(`<mj-button href='{{ unsubscribe_url }}'>Leave</mj-button>`)).toBe(true);
  });

  it('refuses a body without it, with it only as text, or only inside a comment', () => {
    expect(hasUnsubscribePlaceholder('<mjml><mj-body></mj-body></mjml>')).toBe(false);
    expect(hasUnsubscribePlaceholder('<mj-text>Unsubscribe: {{unsubscribe_url}}</mj-text>')).toBe(false);
    expect(hasUnsubscribePlaceholder('<!-- <a href="{{unsubscribe_url}}">x</a> --><mj-text>Hi</mj-text>')).toBe(false);
    expect(hasUnsubscribePlaceholder('<a href="{{preferences_url}}">Preferences</a>')).toBe(false);
  });
});

describe('renderCustomEmail', () => {
  it('fills the placeholders for one reader, escaped in HTML and raw in text and subject', async () => {
    const compiled = await compileMjml(valid);
    if (!compiled.ok) throw new Error('fixture must compile');
    const email = renderCustomEmail(
      { subject: 'Events for {{name}}', html: compiled.html },
      {
        name: 'Zoë & "Ann"',
        unsubscribeUrl: 'https://news.example/u/1?a=1&b=2',
        preferencesUrl: 'https://news.example/p/1',
        viewInBrowserUrl: 'https://news.example/archive/3',
      },
    );
    expect(email.subject).toBe('Events for Zoë & "Ann"');
    expect(email.html).toContain('Dear Zoë &amp; &quot;Ann&quot;,');
    expect(email.html).toContain('href="https://news.example/u/1?a=1&amp;b=2"');
    expect(email.text).toContain('Dear Zoë & "Ann", our autumn event programme is here.');
    expect(email.text).toContain('Unsubscribe https://news.example/u/1?a=1&b=2');
    expect(email.html).not.toContain('{{');
  });
});
