/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { Band } from './tables';
import { bodyCopy, cellType, cls, colour, font, fontShorthand, gutter } from './theme';

const h1 = { margin: '0 0 20px', font: fontShorthand('30px/1.2', font.serif, 700), color: colour.ink } as const;

/** The body of a letter-like email: a padded cell in the body type, with an optional h1. */
export function Content({ heading, children }: { heading?: string; children: ReactNode }) {
  return (
    <Band className={cls.ink} style={{ padding: `28px ${gutter}px 8px`, ...cellType.serif }}>
      {heading && (
        <h1 className={cls.ink} style={h1}>
          {heading}
        </h1>
      )}
      {children}
    </Band>
  );
}

/** A paragraph of body copy, in a cell set in the body type (cellType.serif). */
export function P({ children }: { children: ReactNode }) {
  return (
    <p style={bodyCopy}>
      {children}
    </p>
  );
}
