import { doIUseEmail } from 'doiuse-email';
import { describe, expect, it } from 'vitest';
import {
  renderAlreadySubscribedEmail,
  renderAppealEmail,
  renderConfirmEmail,
  renderDigestEmail,
  renderWelcomeEmail,
} from '../../src/emails/render';
import { digestProps, samplePersonal, sampleSite } from './helpers';

/**
 * The templates' HTML and CSS against caniemail data (doiuse-email) for the Gmail and Outlook
 * families. Nothing they use may be unsupported there, except the progressive enhancements
 * below, each of which leaves a correct email where it is ignored.
 */
const clients = ['gmail.*', 'outlook.*'];

const accepted: Record<string, string> = {
  '@media':
    'Only the dark-mode re-colouring lives in a media query; where it is ignored the inline light colours apply.',
  '<body> element':
    'Every HTML email has a body; clients that replace it keep the full-width table that repeats its colour.',
  'display:none':
    'Hides the preheader (react-email Preview); max-height, overflow and opacity back it up where it is ignored.',
  overflow: 'A fallback for hiding the preheader, as above.',
  opacity: 'A fallback for hiding the preheader, as above.',
  'role attribute': 'role="presentation" tells screen readers layout tables are not data; ignoring it changes nothing visible.',
  'border-radius': 'Rounded button corners; Outlook for Windows shows square ones.',
  'Class selector':
    'Only the stories’ sizes, margins and spacing (storyCss) outside a media query; where class rules are ignored (Gmail’s mobile webmail) every colour and font family is inline and the headings keep the browser’s larger bold sizes (test/emails/no-style.test.ts).',
};

function unsupported(html: string): { feature: string; client: string }[] {
  const result = doIUseEmail(html, { emailClients: clients });
  if (result.success) return [];
  return result.errors.map((message) => {
    const match = /^`(.+)` is not supported by `(.+)`$/.exec(message);
    if (!match) throw new Error(`unexpected doiuse-email message: ${message}`);
    return { feature: match[1] as string, client: match[2] as string };
  });
}

describe('CSS and HTML support in Gmail and Outlook', async () => {
  const emails = {
    confirm: await renderConfirmEmail({
      site: sampleSite,
      confirmUrl: 'https://news.example/confirm/t',
      topics: ['digest', 'appeals'],
    }),
    welcome: await renderWelcomeEmail({
      site: sampleSite,
      preferencesUrl: 'https://news.example/p/t',
      unsubscribeUrl: 'https://news.example/u/t',
      topics: ['digest'],
    }),
    alreadySubscribed: await renderAlreadySubscribedEmail({ site: sampleSite, preferencesUrl: 'https://news.example/p/t' }),
    digest: await renderDigestEmail(
      digestProps({ intro: '## A heading\n\n> a quote\n\n- a list\n\n---\n\nA [link](https://example.org).' }),
    ),
    appeal: await renderAppealEmail({
      site: sampleSite,
      ...samplePersonal,
      headline: 'Keep the Courier free',
      body: 'Please give.',
      donateUrl: 'https://www.northgate-courier.example/support/',
      progress: { label: 'Half way', fraction: 0.5 },
    }),
  };
  const found = Object.values(emails).flatMap((email) => unsupported(email.html));

  it.each(Object.keys(emails))('%s uses nothing unsupported beyond the accepted enhancements', (name) => {
    const html = emails[name as keyof typeof emails].html;
    const surprises = unsupported(html).filter((u) => !(u.feature in accepted));
    expect(surprises).toEqual([]);
  });

  it('the accepted list holds only features the templates really use', () => {
    const used = new Set(found.map((u) => u.feature));
    expect(Object.keys(accepted).filter((feature) => !used.has(feature))).toEqual([]);
  });

  it('the check itself notices unsupported CSS', () => {
    const html = '<html><body><div style="position:absolute">x</div></body></html>';
    expect(unsupported(html).map((u) => u.feature)).toContain('position');
  });
});
