/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { Head, Html } from '@react-email/components';
import { Preheader } from './preheader';
import { cls, colour, darkCss, phoneCss } from './theme';

export interface EmailLayoutProps {
  /** The document title: some clients show it, and the browser tab of an archived copy does. */
  title: string;
  /** The line an inbox shows after the subject. */
  preheader: string;
  /** The masthead, the bands of the body and the footer: each a Band, one row of the column. */
  masthead: ReactNode;
  footer: ReactNode;
  children: ReactNode;
  /**
   * The template's own class rules (e.g. storyCss), in a <style> of their own ahead of the
   * dark-mode and phone rules.
   */
  css?: string;
  /** CSS for Outlook for Windows only (render.ts puts it in `<!--[if mso]>`), e.g. storyTextMsoCss. */
  msoCss?: string;
}

/**
 * One centred column of at most 600px on a newsprint-tinted page. The page colour sits on the
 * body and on a full-width table (clients that drop <body> keep the table), both re-coloured by
 * class in dark mode.
 */
export function EmailLayout({ title, preheader, masthead, footer, children, css, msoCss }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{title}</title>
        {css && <style>{css}</style>}
        <style>{darkCss + phoneCss}</style>
        {msoCss && <style data-mso="true">{msoCss}</style>}
      </Head>
      <body className={cls.page} style={{ margin: 0, padding: 0, backgroundColor: colour.page }}>
        <Preheader text={preheader} />
        <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} className={cls.page} style={{ backgroundColor: colour.page }}>
          <tbody>
            <tr>
              <td style={{ padding: '24px 0' }}>
                {/* react-email's Container, without its border="0", its tr's width:100% and a width:100% style that repeats the attribute; each band a row. */}
                <table
                  role="presentation"
                  align="center"
                  width="100%"
                  cellPadding={0}
                  cellSpacing={0}
                  className={cls.paper}
                  style={{ maxWidth: '600px', backgroundColor: colour.paper, color: colour.ink }}
                >
                  <tbody>
                    {masthead}
                    {children}
                    {footer}
                  </tbody>
                </table>
              </td>
            </tr>
          </tbody>
        </table>
      </body>
    </Html>
  );
}
