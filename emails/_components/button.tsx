/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { cls, colour, font, fontShorthand } from './theme';

/**
 * A "bulletproof" button: a table cell carries the colour (Outlook ignores padding and
 * backgrounds on links), the link inside carries the padding so that the whole 44px-high
 * area is tappable (12 + 20 + 12).
 */
export function Button({ href, children }: { href: string; children: ReactNode }) {
  return (
    <table role="presentation" cellPadding={0} cellSpacing={0} style={{ margin: '8px 0 24px' }}>
      <tbody>
        <tr>
          <td
            className={cls.button}
            style={{ backgroundColor: colour.accent, borderRadius: '4px' }}
          >
            <a
              href={href}
              style={{
                display: 'inline-block',
                padding: '12px 24px',
                font: fontShorthand('16px/20px', font.sans, 700),
                color: colour.onAccent,
                textDecoration: 'none',
                borderRadius: '4px',
              }}
            >
              {children}
            </a>
          </td>
        </tr>
      </tbody>
    </table>
  );
}
