import { Hono } from 'hono';
import type { Deps } from '../deps';
import { FormScripts, SubscribeForm } from '../embed/form-markup';
import { embedCss } from '../embed/styles';
import { Layout } from '../pages/layout';
import { CONSENT_WORDING_VERSION } from '../subscribers/subscribe';

/**
 * The newcomer's tour: `/` explains where things are, `/demo/article` is a sample article with
 * the footer form under it, exactly as a WordPress theme would embed it.
 */
export function demoRoutes(deps: Deps) {
  const app = new Hono();
  const { siteName, publicUrl, siteUrl } = deps.config;

  app.get('/', (c) =>
    c.html(
      <Layout title="Newsletter service" siteName={siteName} siteUrl={siteUrl} noindex={false}>
        <h1>Broadside is running</h1>
        <p>The newsletter service of {siteName}. Try it:</p>
        <ol>
          <li>
            Open the <a href="/demo/article">sample article</a> and subscribe with the form at its foot.
          </li>
          <li>
            {deps.mailer.kind === 'outbox' ? (
              <>
                Find the confirmation email in the <a href="/admin/outbox">outbox</a> (sign in with the admin token
                printed at start-up) and follow its link.
              </>
            ) : (
              <>Follow the link in the confirmation email.</>
            )}
          </li>
          <li>
            Editors work in the <a href="/admin">admin</a>.
          </li>
        </ol>
        <p class="muted">
          The footer form for your own site: <a href="/embed/snippet">copy this snippet</a> (or use{' '}
          <a href="/embed/form">the form page</a> in an iframe).
        </p>
      </Layout>,
    ),
  );

  app.get('/demo/article', (c) =>
    c.html(
      <Layout title="The river is cleaner than it has been in decades" siteName={siteName} siteUrl="/" noindex={false}>
        <article>
          <h1>The river is cleaner than it has been in decades</h1>
          <p class="muted">By Mara Lindqvist · Sample article</p>
          <p>
            Ten years after the town council voted to rebuild the old storm drains, volunteers testing the water every
            Saturday morning have recorded the lowest bacteria counts since measurements began.
          </p>
          <p>
            “We used to tell children not to paddle below the mill,” said one of the volunteers. “This summer we
            didn’t have to.” The council will discuss extending the programme to the eastern creeks next month.
          </p>
        </article>
        <style dangerouslySetInnerHTML={{ __html: embedCss }} />
        <SubscribeForm
          publicUrl={publicUrl}
          siteName={siteName}
          privacyUrl={deps.config.privacyUrl}
          source={`${publicUrl}/demo/article`}
          consentVersion={CONSENT_WORDING_VERSION}
          turnstileSiteKey={deps.config.turnstile?.siteKey}
        />
        <FormScripts publicUrl={publicUrl} turnstileSiteKey={deps.config.turnstile?.siteKey} />
      </Layout>,
    ),
  );
  return app;
}
