import { Hono } from 'hono';
import type { Deps } from '../deps';
import { ConfirmPage } from './confirm-page';
import { MessagePage } from '../pages/message-page';
import { checkConfirmToken, confirmSubscription } from './confirm';

/** GET shows a button (no state change: scanners follow links); POST confirms. */
export function confirmRoutes(deps: Deps) {
  const app = new Hono();
  const site = { siteName: deps.config.siteName, siteUrl: deps.config.siteUrl };

  app.get('/confirm/:token', async (c) => {
    const { subscriber, state } = await checkConfirmToken(deps, c.req.param('token'));
    if (state === 'already_active') return c.html(<Confirmed {...site} />);
    return c.html(<ConfirmPage {...site} email={subscriber.email} action={c.req.path} />);
  });

  app.post('/confirm/:token', async (c) => {
    await confirmSubscription(deps, c.req.param('token'), deps.clientIp(c));
    return c.html(<Confirmed {...site} />);
  });
  return app;
}

function Confirmed(site: { siteName: string; siteUrl: string }) {
  return (
    <MessagePage {...site} title="You’re subscribed">
      <p>Thank you. Your subscription is confirmed, and a welcome email is on its way.</p>
      <p>
        <a href={site.siteUrl}>Continue to {site.siteName}</a>
      </p>
    </MessagePage>
  );
}
