/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { cls, colour } from './theme';

/**
 * A newspaper section label ("Featured", "Also this week"): small capitals over a rule, in the
 * digest's stories band. Its type, margins and spacing are a class rule (storyCss), stated once
 * for the email's two headings; inline stay its colour and rule. Where <style> is dropped it is
 * the browser's own bold h2 in the accent colour and the band's sans family, over its rule.
 * Outlook for Windows, which passes a cell's font on to paragraphs, links and spans but not to
 * headings, takes the family from the class rule too.
 */
export function SectionHeading({ children, marginTop = 32 }: { children: ReactNode; marginTop?: 32 | 40 }) {
  return (
    <h2
      className={cls.section}
      style={{
        ...(marginTop === 32 ? undefined : { marginTop: `${marginTop}px` }),
        borderBottom: `1px solid ${colour.rule}`,
        color: colour.accent,
      }}
    >
      {children}
    </h2>
  );
}
