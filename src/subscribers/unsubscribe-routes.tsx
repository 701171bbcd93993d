import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { limitBody } from '../http/body-limit';
import { AppError } from '../errors';
import { readBody } from '../http/read-body';
import { MessagePage } from '../pages/message-page';
import { UnsubscribePage } from './unsubscribe-page';
import { preferencesUrl } from './links';
import { campaignOf, checkUnsubscribeToken, unsubscribe } from './unsubscribe';

/**
 * GET shows the page (no state change); POST unsubscribes. A POST whose body is
 * `List-Unsubscribe=One-Click` comes from a mail client's unsubscribe button (RFC 8058): it gets
 * 200 with an empty body, no redirect, no cookie.
 */
export function unsubscribeRoutes(deps: Deps) {
  const app = new Hono();
  const site = { siteName: deps.config.siteName, siteUrl: deps.config.siteUrl };

  app.get('/unsubscribe/:token', async (c) => {
    const { subscriber } = await checkUnsubscribeToken(deps, c.req.param('token'));
    return c.html(
      <UnsubscribePage
        {...site}
        email={subscriber.email}
        action={c.req.path}
        preferencesUrl={await preferencesUrl(deps, subscriber.id, deps.now())}
        alreadyLeft={subscriber.status !== 'active' && subscriber.status !== 'pending'}
      />,
    );
  });

  app.post(
    '/unsubscribe/:token',
    limitBody(4096),
    async (c) => {
      const { subscriber, claims } = await checkUnsubscribeToken(deps, c.req.param('token'));
      const oneClick = (await oneClickField(c)) === 'One-Click';
      const after = await unsubscribe(deps, subscriber, {
        method: oneClick ? 'one-click' : 'link',
        campaignId: campaignOf(claims),
        ip: deps.clientIp(c),
      });
      if (oneClick) return c.body(null, 200);
      return c.html(
        <MessagePage {...site} title="You’re unsubscribed">
          <p>
            <strong>{after.email}</strong> will not receive any more emails from {deps.config.siteName}.
          </p>
          <p class="muted">
            Left by mistake? <a href={await preferencesUrl(deps, after.id, deps.now())}>Subscribe again</a>.
          </p>
        </MessagePage>,
      );
    },
  );
  return app;
}

/**
 * /unsubscribe and /preferences without a token: where the generic links of the web archive and
 * of test emails lead. They explain where the reader's own link is.
 */
export function linkHelpRoutes(deps: Deps) {
  const app = new Hono();
  const site = { siteName: deps.config.siteName, siteUrl: deps.config.siteUrl };
  const help = (title: string) => (
    <MessagePage {...site} title={title}>
      <p>
        Every email from {deps.config.siteName} ends with your own links to unsubscribe or to choose what you
        receive. Open the latest one and use the link at the bottom: it works in one click, no password needed.
      </p>
    </MessagePage>
  );
  app.get('/unsubscribe', (c) => c.html(help('Unsubscribe')));
  app.get('/preferences', (c) => c.html(help('Your newsletter preferences')));
  return app;
}

/**
 * The `List-Unsubscribe` field of an RFC 8058 one-click POST, which mail providers send as
 * multipart/form-data or form-encoded. A form body goes through readBody (so a malformed
 * multipart one is a 400, not a 500); anything else is read as bytes, because workerd warns when
 * .text() meets a form-encoded body and some senders omit the content type.
 */
async function oneClickField(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'multipart/form-data' || type === 'application/x-www-form-urlencoded') {
    return (await readBody(c)).data['List-Unsubscribe'];
  }
  return new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer())).get('List-Unsubscribe');
}
