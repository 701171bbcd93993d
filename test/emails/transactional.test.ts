import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alreadySubscribedEmailFor, confirmationEmailFor, welcomeEmailFor } from '../../src/emails/transactional';
import { renderAlreadySubscribedEmail, renderConfirmEmail, renderWelcomeEmail } from '../../src/emails/render';
import type { Topic } from '../../emails/_components/types';

const site = { name: 'The Riverside Ledger', url: 'https://news.example.org', contactLine: '12 Mill Lane, Riverside' };
const hardNames = [null, '', 'Ada', 'Zoë', 'O’Brien', "O'Brien", 'Ελένη', '王芳', '<b>Eve</b> & "Co"', '  spaced  ', '👩‍🔬 Mira'];
const topicSets: Topic[][] = [['digest', 'appeals'], ['digest'], ['appeals']];
const url = (path: string) => fc.stringMatching(/^[A-Za-z0-9_.-]{1,60}$/).map((t) => `https://newsletter.example.org/${path}/${t}`);

/** Rendered once with placeholders and filled in per reader, the emails equal a real render. */
describe('subscription emails from the once-rendered template', () => {
  it('confirmation: byte-identical to rendering it for the reader', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...hardNames), fc.string()), fc.constantFrom(...topicSets), url('confirm'), async (name, topics, confirmUrl) => {
        const fast = await confirmationEmailFor({ site, topics, name, confirmUrl });
        const slow = await renderConfirmEmail({ site, topics, name: name ?? undefined, confirmUrl });
        expect(fast).toEqual(slow);
      }),
      { numRuns: 60 },
    );
  });

  it('welcome: byte-identical to rendering it for the reader', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...hardNames), fc.constantFrom(...topicSets), url('preferences'), url('unsubscribe'), async (name, topics, preferencesUrl, unsubscribeUrl) => {
        const fast = await welcomeEmailFor({ site, topics, name, preferencesUrl, unsubscribeUrl });
        expect(fast).toEqual(await renderWelcomeEmail({ site, topics, name: name ?? undefined, preferencesUrl, unsubscribeUrl }));
      }),
      { numRuns: 40 },
    );
  });

  it('already subscribed: byte-identical to rendering it for the reader', async () => {
    const preferencesUrl = 'https://newsletter.example.org/preferences/abc.def';
    expect(await alreadySubscribedEmailFor({ site, preferencesUrl })).toEqual(await renderAlreadySubscribedEmail({ site, preferencesUrl }));
  });
});
