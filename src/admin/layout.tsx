import type { Child } from 'hono/jsx';
import type { AdminPrincipal } from './sessions';
import { CSRF_FIELD } from './csrf';
import { deskCss } from './layout-css';

export type DeskSection = 'dashboard' | 'digest' | 'campaigns' | 'articles' | 'readers' | 'results' | 'outbox' | 'accounts' | 'audit';

const sections: { id: DeskSection; href: string; label: string; owner?: boolean }[] = [
  { id: 'dashboard', href: '/admin', label: 'Dashboard' },
  { id: 'digest', href: '/admin/digest', label: 'Weekly digest' },
  { id: 'campaigns', href: '/admin/campaigns', label: 'Campaigns' },
  { id: 'articles', href: '/admin/articles', label: 'Articles' },
  { id: 'readers', href: '/admin/readers', label: 'Readers' },
  { id: 'results', href: '/admin/results', label: 'Sign-ups' },
  { id: 'outbox', href: '/admin/outbox', label: 'Outbox' },
  { id: 'accounts', href: '/admin/accounts', label: 'Accounts', owner: true },
  { id: 'audit', href: '/admin/audit', label: 'Audit log', owner: true },
];

export interface Flash {
  kind: 'ok' | 'bad' | 'warn';
  text: string;
}

export interface DeskLayoutProps {
  title: string;
  siteName: string;
  section: DeskSection;
  admin: AdminPrincipal;
  flash?: Flash | null;
  children?: Child;
  /** Pages with live parts load the desk's small script; everything works without it. */
  script?: boolean;
  /** Seconds after which a browser without JavaScript reloads the page (a send in progress). */
  refresh?: number;
}

/** The hidden CSRF field every desk form carries (src/admin/csrf.ts checks it). */
export const Csrf = ({ admin }: { admin: AdminPrincipal }) => <input type="hidden" name={CSRF_FIELD} value={admin.csrf ?? ''} />;

/** A one-button form that POSTs to `action` (pause, resume, remove…): works without JavaScript. */
export function PostButton(props: { admin: AdminPrincipal; action: string; label: string; class?: string; fields?: Record<string, string>; disabled?: boolean; ariaLabel?: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <Csrf admin={props.admin} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={props.class} disabled={props.disabled} aria-label={props.ariaLabel}>
        {props.label}
      </button>
    </form>
  );
}

/** What every desk page's <head> starts with. */
const DeskHead = ({ title, siteName }: { title: string; siteName: string }) => (
  <>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <meta name="robots" content="noindex" />
    <title>{`${title} · ${siteName} desk`}</title>
    <style dangerouslySetInnerHTML={{ __html: deskCss }} />
  </>
);

/** The frame of every desk page: navigation, who is signed in, an announced status message. */
export function DeskLayout({ title, siteName, section, admin, flash, children, script, refresh }: DeskLayoutProps) {
  return (
    <html lang="en">
      <head>
        <DeskHead title={title} siteName={siteName} />
        {script && <script src="/admin/assets/desk.js" defer></script>}
        {refresh && (
          <noscript>
            <meta http-equiv="refresh" content={String(refresh)} />
          </noscript>
        )}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <div class="shell">
          <header class="side">
            <a class="brand" href="/admin">
              {siteName}
              <small>Newsletter desk</small>
            </a>
            <nav aria-label="Desk">
              <ul>
                {sections
                  .filter((s) => !s.owner || admin.role === 'owner')
                  .map((s) => (
                    <li>
                      <a href={s.href} aria-current={s.id === section ? 'page' : undefined}>
                        {s.label}
                      </a>
                    </li>
                  ))}
              </ul>
            </nav>
            <div class="who">
              <p>
                Signed in as <strong>{admin.actor}</strong> ({admin.role})
              </p>
              <form method="post" action="/admin/logout">
                <Csrf admin={admin} />
                <button type="submit" class="secondary small">
                  Sign out
                </button>
              </form>
            </div>
          </header>
          <main id="main" tabindex={-1}>
            <div role="status" aria-live="polite">
              {flash && <p class={`flash ${flash.kind}`}>{flash.text}</p>}
            </div>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** The sign-in page's frame: no navigation, no script. */
export function BareLayout({ title, siteName, children }: { title: string; siteName: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <DeskHead title={title} siteName={siteName} />
      </head>
      <body>
        <main id="main" class="login">
          {children}
        </main>
      </body>
    </html>
  );
}
