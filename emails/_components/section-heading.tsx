/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { cls, colour, font, fontShorthand } from './theme';

/**
 * A newspaper section label ("Featured", "This week"): small capitals over a rule. Like every
 * heading it states its own font rather than take the cell's: what Outlook for Windows is known
 * to pass on from a cell is to paragraphs, links and spans.
 */
export function SectionHeading({ children, marginTop = 32 }: { children: ReactNode; marginTop?: 32 | 40 }) {
  return (
    <h2
      className={`${cls.accent} ${cls.rule}`}
      style={{
        margin: `${marginTop}px 0 20px`,
        padding: '0 0 6px',
        borderBottom: `1px solid ${colour.rule}`,
        font: fontShorthand('13px/1.4', font.sans, 700),
        letterSpacing: '.08em',
        textTransform: 'uppercase',
        color: colour.accent,
      }}
    >
      {children}
    </h2>
  );
}
