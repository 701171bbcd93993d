import { Hono } from 'hono';
import type { Deps } from '../deps';
import { FormScripts, SubscribeForm } from '../embed/form-markup';
import { embedCss } from '../embed/styles';
import { Layout } from '../pages/layout';
import { CONSENT_WORDING_VERSION } from '../subscribers/subscribe';
import { sampleArticles } from './sample-articles';
import { sampleFeedXml, usesSampleFeed } from './sample-feed';
import { sampleImageSvg } from './sample-images';

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
            Editors work in the <a href="/admin">admin</a>.{' '}
            {usesSampleFeed(deps.config) ? (
              <>
                Build this week’s digest (<code>npm run campaign -- weekly</code>): until <code>FEED_URL</code> is set it
                quotes the <a href="/demo/feed/">sample articles</a>, then preview, test-send and send it to the outbox.
              </>
            ) : !deps.config.feedUrl ? (
              <>
                Set <code>FEED_URL</code> to your site’s address so the weekly digest has articles to quote.
              </>
            ) : null}
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
  // The sample site (see sample-feed.ts): its feed, its articles and their pictures, all served
  // from here so the demo works offline.
  app.get('/demo/feed/', (c) => {
    c.header('content-type', 'application/rss+xml; charset=UTF-8');
    return c.body(sampleFeedXml(publicUrl, siteName, deps.now()));
  });

  app.get('/demo/images/:file', (c) => {
    const article = sampleArticles.find((a) => `${a.slug}.svg` === c.req.param('file'));
    if (!article) return c.text('Not Found', 404);
    c.header('content-type', 'image/svg+xml');
    // An image, never a document: nothing in it may run.
    c.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
    c.header('cache-control', 'public, max-age=86400');
    return c.body(sampleImageSvg(article.picture));
  });

  app.get('/demo/articles/:slug', (c) => {
    const article = sampleArticles.find((a) => a.slug === c.req.param('slug'));
    if (!article) return c.text('Not Found', 404);
    return c.html(
      <Layout title={article.title} siteName={siteName} siteUrl="/" noindex={true}>
        <article>
          <p class="muted">{article.category} · Sample article</p>
          <h1>{article.title}</h1>
          <p class="muted">By {article.author}</p>
          <img src={`/demo/images/${article.slug}.svg`} alt={article.picture.alt} width={600} height={400} style="max-width:100%;height:auto" />
          {article.body.map((p) => (
            <p>{p}</p>
          ))}
        </article>
      </Layout>,
    );
  });
  return app;
}
