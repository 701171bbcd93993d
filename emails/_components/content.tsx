/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { Section } from './tables';
import { gutter, text } from './theme';

/** The body of a letter-like email: padded column with an optional h1. */
export function Content({ heading, children }: { heading?: string; children: ReactNode }) {
  return (
    <Section style={{ padding: `28px ${gutter}px 8px` }}>
      {heading && (
        <h1 className="bs-ink" style={text.h1}>
          {heading}
        </h1>
      )}
      {children}
    </Section>
  );
}

/** A paragraph of body copy. */
export function P({ children }: { children: ReactNode }) {
  return (
    <p className="bs-ink" style={text.body}>
      {children}
    </p>
  );
}
