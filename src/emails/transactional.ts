import { compilePersonalised, type Personaliser } from './personalise';
import { createPlaceholders, type Placeholders } from './placeholders';
import { renderAlreadySubscribedEmail, renderConfirmEmail, renderWelcomeEmail } from './render';
import type { RenderedEmail, Site, Topic } from '../../emails/_components/types';

/**
 * The subscription emails (confirm, welcome, already subscribed) are the same for every reader
 * but for the name and the links, so, like campaigns, they are rendered once (per process, per
 * publication and choice of topics) with placeholders and personalised by substitution: a
 * sign-up then costs microseconds of templating instead of a react-email render (~6 ms), which
 * is what keeps POST /subscribe fast under load.
 *
 * The memo is keyed by everything the render depends on, so it is a pure cache.
 */
const memo = new Map<string, Promise<Personaliser>>();

function personaliser(key: string, render: (ph: Placeholders['values']) => Promise<RenderedEmail>): Promise<Personaliser> {
  let found = memo.get(key);
  if (!found) {
    const placeholders = createPlaceholders();
    found = render(placeholders.values).then((rendered) => compilePersonalised(rendered, placeholders));
    // A failed render is not cached: the next email tries again.
    found.catch(() => memo.delete(key));
    memo.set(key, found);
  }
  return found;
}

const keyOf = (kind: string, site: Site, topics: readonly Topic[] = []) => JSON.stringify([kind, site, [...topics].sort()]);

/** The confirmation email for one reader (not to be read as a verb: confirming is confirmSubscription). */
export async function confirmationEmailFor(args: { site: Site; topics: Topic[]; name?: string | null; confirmUrl: string }) {
  const p = await personaliser(keyOf('confirm', args.site, args.topics), (ph) =>
    renderConfirmEmail({ site: args.site, topics: args.topics, name: ph.name, confirmUrl: ph.actionUrl }),
  );
  return p({ name: args.name, actionUrl: args.confirmUrl, unsubscribeUrl: '', preferencesUrl: '', viewInBrowserUrl: '' });
}

export async function welcomeEmailFor(args: { site: Site; topics: Topic[]; name?: string | null; preferencesUrl: string; unsubscribeUrl: string }) {
  const p = await personaliser(keyOf('welcome', args.site, args.topics), (ph) =>
    renderWelcomeEmail({ site: args.site, topics: args.topics, name: ph.name, preferencesUrl: ph.preferencesUrl, unsubscribeUrl: ph.unsubscribeUrl }),
  );
  return p({ name: args.name, preferencesUrl: args.preferencesUrl, unsubscribeUrl: args.unsubscribeUrl, viewInBrowserUrl: '' });
}

export async function alreadySubscribedEmailFor(args: { site: Site; preferencesUrl: string }) {
  const p = await personaliser(keyOf('already', args.site), (ph) => renderAlreadySubscribedEmail({ site: args.site, preferencesUrl: ph.preferencesUrl }));
  return p({ preferencesUrl: args.preferencesUrl, unsubscribeUrl: '', viewInBrowserUrl: '' });
}
