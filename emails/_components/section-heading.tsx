/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { colour, font } from './theme';

/**
 * A newspaper section label ("Featured", "This week"): small capitals over a rule. Like every
 * heading it states its own font rather than take the cell's: what Outlook for Windows is known
 * to pass on from a cell is to paragraphs, links and spans.
 */
export function SectionHeading({ children }: { children: ReactNode }) {
  return (
    <h2
      className="bs-accent bs-rule"
      style={{
        margin: '32px 0 20px',
        padding: '0 0 6px',
        borderBottom: `1px solid ${colour.rule}`,
        fontFamily: font.sans,
        fontSize: '13px',
        lineHeight: '1.4',
        fontWeight: 700,
        letterSpacing: '.08em',
        textTransform: 'uppercase',
        color: colour.accent,
      }}
    >
      {children}
    </h2>
  );
}
