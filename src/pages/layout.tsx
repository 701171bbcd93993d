import type { Child } from 'hono/jsx';

/**
 * The frame of every public page Broadside shows a reader (confirm, unsubscribe, preferences,
 * messages). Plain HTML and a little inline CSS: no scripts, no external fonts, works without
 * JavaScript, readable on a phone, respects dark mode.
 */
const css = `
:root { color-scheme: light dark; --bg: #fbfaf7; --fg: #1d1d1b; --muted: #5c5a55; --accent: #9b1c1c; --card: #fff; --line: #dedbd2; }
@media (prefers-color-scheme: dark) { :root { --bg: #171716; --fg: #ecebe6; --muted: #b2afa6; --accent: #f19c8f; --card: #22211f; --line: #3a3935; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 36rem; margin: 0 auto; padding: 1rem 1.25rem; }
header { border-bottom: 1px solid var(--line); }
header a { color: var(--fg); text-decoration: none; font: 700 1.35rem/1.2 Georgia, "Times New Roman", serif; }
h1 { font: 700 1.75rem/1.25 Georgia, "Times New Roman", serif; margin: 1.25rem 0 .75rem; }
a { color: var(--accent); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 1.25rem; margin: 1rem 0; }
button, .button { display: inline-block; min-height: 44px; padding: .6rem 1.2rem; border: 0; border-radius: 4px; background: var(--accent); color: var(--bg); font: 600 1rem/1.5 inherit; font-family: inherit; cursor: pointer; text-decoration: none; }
button.secondary { background: transparent; color: var(--accent); border: 1px solid var(--accent); }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input[type=text], input[type=email] { width: 100%; min-height: 44px; padding: .5rem .75rem; font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--muted); border-radius: 4px; }
fieldset { border: 1px solid var(--line); border-radius: 4px; margin: 1rem 0; padding: .5rem 1rem 1rem; }
legend { font-weight: 600; padding: 0 .25rem; }
.check { display: flex; gap: .6rem; align-items: flex-start; font-weight: 400; margin: .6rem 0; }
.check input { width: 1.2rem; height: 1.2rem; margin-top: .2rem; }
.muted { color: var(--muted); font-size: .9rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1rem; }
footer { color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); margin-top: 2rem; }
`;

export interface LayoutProps {
  title: string;
  siteName: string;
  siteUrl: string;
  children?: Child;
  /** Pages reached through personal links must not be indexed or leak the link onward. */
  noindex?: boolean;
}

export function Layout({ title, siteName, siteUrl, children, noindex = true }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="no-referrer" />
        {noindex && <meta name="robots" content="noindex" />}
        <title>{`${title} · ${siteName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      <body>
        <header>
          <a href={siteUrl}>{siteName}</a>
        </header>
        <main>{children}</main>
        <footer>
          <p>
            {siteName} newsletter · <a href={siteUrl}>Back to the site</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
