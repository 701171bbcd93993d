import { Hono } from 'hono';
import { raw } from 'hono/html';
import type { Deps } from '../deps';
import { CONSENT_WORDING_VERSION } from '../subscribers/subscribe';
import { FormScripts, SubscribeForm, TURNSTILE_SCRIPT } from './form-markup';
import { embedScript } from './script';
import { embedCss } from './styles';

const safeSource = (s: string | undefined) => (s && s.length <= 2000 && /^https?:\/\//i.test(s) && URL.canParse(s) ? s : undefined);

/** The footer form for WordPress: the script, its stylesheet, the form itself and a copyable snippet. */
export function embedRoutes(deps: Deps) {
  const app = new Hono();
  const { publicUrl, siteName, privacyUrl } = deps.config;
  const turnstileSiteKey = deps.config.turnstile?.siteKey;
  const form = (source?: string) => (
    <SubscribeForm publicUrl={publicUrl} siteName={siteName} privacyUrl={privacyUrl} source={source} consentVersion={CONSENT_WORDING_VERSION} turnstileSiteKey={turnstileSiteKey} />
  );

  app.get('/embed.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(embedScript);
  });

  app.get('/embed.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Access-Control-Allow-Origin', '*');
    return c.body(embedCss);
  });

  /** A whole page with the form, for sites that prefer an <iframe>; `?source=` names the article. */
  app.get('/embed/form', (c) => {
    const ancestors = deps.config.allowedOrigins.includes('*') ? '*' : ["'self'", ...deps.config.allowedOrigins].join(' ');
    c.header('Content-Security-Policy', `frame-ancestors ${ancestors}`);
    return c.html(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="color-scheme" content="light dark" />
          <title>{`Subscribe to ${siteName}`}</title>
          <link rel="stylesheet" href={`${publicUrl}/embed.css`} />
          <style>{raw('body{margin:0;padding:.5rem;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}')}</style>
        </head>
        <body>
          {form(safeSource(c.req.query('source')))}
          <FormScripts publicUrl={publicUrl} turnstileSiteKey={turnstileSiteKey} />
        </body>
      </html>,
    );
  });

  /** The snippet to paste into a WordPress footer or a Custom HTML widget. */
  app.get('/embed/snippet', async (c) => {
    const markup = String(await form().toString());
    const snippet = [
      `<link rel="stylesheet" href="${publicUrl}/embed.css">`,
      markup,
      ...(turnstileSiteKey ? [`<script src="${TURNSTILE_SCRIPT}" async defer></script>`] : []),
      `<script src="${publicUrl}/embed.js" defer></script>`,
      '',
    ].join('\n');
    return c.text(snippet);
  });
  return app;
}
