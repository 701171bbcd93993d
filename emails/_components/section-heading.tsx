/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { colour } from './theme';

/** A newspaper section label ("Featured", "This week"): small capitals over a rule, in a sans cell (cellType.sans). */
export function SectionHeading({ children }: { children: ReactNode }) {
  return (
    <h2
      className="bs-accent bs-rule"
      style={{
        margin: '32px 0 20px',
        padding: '0 0 6px',
        borderBottom: `1px solid ${colour.rule}`,
        fontSize: '13px',
        lineHeight: '1.4',
        fontWeight: 700,
        letterSpacing: '0.08em',
        textTransform: 'uppercase',
        color: colour.accent,
      }}
    >
      {children}
    </h2>
  );
}
