/** @jsxImportSource react */
import type { ReactNode } from 'react';
import { cls, text } from './theme';

/** A link that looks like one: link colour and underlined, in light and dark mode. */
export function TextLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} className={cls.link} style={text.link}>
      {children}
    </a>
  );
}
