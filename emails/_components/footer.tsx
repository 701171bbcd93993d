/** @jsxImportSource react */
import { Fragment, type ReactNode } from 'react';
import { Band } from './tables';
import type { Site } from './types';
import { cls, colour, font, fontShorthand, gutter } from './theme';

export interface FooterProps {
  site: Site;
  /** Why this reader gets this email, in one sentence. */
  reason: string;
  unsubscribeUrl?: string;
  preferencesUrl?: string;
  viewInBrowserUrl?: string;
}

// The footer's cell sets its small type once; each paragraph only its spacing.
const small = { font: fontShorthand('13px/1.6', font.sans), color: colour.muted } as const;
const line = { margin: '0 0 10px' } as const;

const footerLink = { color: colour.muted, textDecoration: 'underline' } as const;

/**
 * Small but legible: why you get this, the reader's own links, who we are and where to write.
 * In the text part each link gets a line of its own (`data-text-line`) and the dots disappear.
 */
export function Footer({ site, reason, unsubscribeUrl, preferencesUrl, viewInBrowserUrl }: FooterProps) {
  const links: [string, string][] = [];
  if (unsubscribeUrl) links.push(['Unsubscribe', unsubscribeUrl]);
  if (preferencesUrl) links.push(['Manage preferences', preferencesUrl]);
  if (viewInBrowserUrl) links.push(['View in browser', viewInBrowserUrl]);
  return (
    <Band className={cls.muted} style={{ padding: `8px ${gutter}px 28px`, ...small }}>
      <div className={cls.rule} style={{ borderTop: `1px solid ${colour.rule}`, padding: '20px 0 0' }}>
        <p style={line}>
          {reason}
        </p>
        {links.length > 0 && (
          <p style={line}>
            {links.map(([label, href], i) => (
              <Fragment key={label}>
                {i > 0 && <span data-skip-in-text="true">{'  ·  '}</span>}
                <span data-text-line="true">
                  <a href={href} className={cls.muted} style={footerLink}>
                    {label}
                  </a>
                </span>
              </Fragment>
            ))}
          </p>
        )}
        <p style={line}>
          {joinLine([site.name, site.contactLine])}
          {site.privacyUrl && <PrivacyLink href={site.privacyUrl} />}
        </p>
      </div>
    </Band>
  );
}

function PrivacyLink({ href }: { href: string }): ReactNode {
  return (
    <>
      <span data-skip-in-text="true">{'  ·  '}</span>
      <span data-text-line="true">
        <a href={href} className={cls.muted} style={footerLink}>
          Privacy policy
        </a>
      </span>
    </>
  );
}

const joinLine = (parts: (string | undefined)[]) => parts.filter(Boolean).join(' · ');
