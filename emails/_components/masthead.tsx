/** @jsxImportSource react */
import { Band } from './tables';
import type { Site } from './types';
import { cls, colour, font, fontShorthand, gutter } from './theme';

export interface MastheadProps {
  site: Site;
  /** The line under the title, e.g. "The weekly digest · Monday 24 November 2025". */
  dateline?: string;
  /** The digest's title is the publication's name; other emails have their own h1. */
  as?: 'h1' | 'div';
}

/** The publication's name in large serif type, linking to the site, over a ruled dateline. */
export function Masthead({ site, dateline, as: Tag = 'div' }: MastheadProps) {
  return (
    <Band style={{ padding: `28px ${gutter}px 0` }}>
      <Tag
        style={{
          margin: 0,
          textAlign: 'center',
          font: fontShorthand('34px/1.15', font.serif, 700),
          letterSpacing: '-.01em',
        }}
      >
        <a
          href={site.url}
          data-text-nohref="true"
          className={cls.ink}
          style={{ color: colour.ink, textDecoration: 'none' }}
        >
          {site.name}
        </a>
      </Tag>
      {dateline ? (
        <p
          className={`${cls.muted} ${cls.ruleStrong}`}
          style={{
            margin: '16px 0 0',
            padding: '7px 0 6px',
            borderTop: `1px solid ${colour.ink}`,
            borderBottom: `1px solid ${colour.ink}`,
            textAlign: 'center',
            font: fontShorthand('12px/1.4', font.sans),
            letterSpacing: '.08em',
            textTransform: 'uppercase',
            color: colour.muted,
          }}
        >
          {dateline}
        </p>
      ) : (
        <div className={cls.ruleStrong} style={{ margin: '16px 0 0', borderTop: `1px solid ${colour.ink}` }} />
      )}
    </Band>
  );
}
