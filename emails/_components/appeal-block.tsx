/** @jsxImportSource react */
import { Band } from './tables';
import type { AppealCopy } from './types';
import { Button } from './button';
import { MarkdownBlock } from './markdown-block';
import { cls, colour, font, fontShorthand, gutter } from './theme';

const headline = { margin: '20px 0 12px', font: fontShorthand('22px/1.3', font.serif, 700), color: colour.ink } as const;

/** A boxed appeal inside a digest: headline, a few lines of Markdown, the donate button. */
export function AppealBlock({ appeal }: { appeal: AppealCopy }) {
  return (
    <Band style={{ padding: `16px ${gutter}px 16px` }}>
      <div
        className={cls.tint}
        style={{
          backgroundColor: colour.tint,
          borderTop: `3px solid ${colour.accent}`,
          padding: '4px 24px 4px',
        }}
      >
        <h2 className={cls.ink} style={headline}>
          {appeal.headline}
        </h2>
        <MarkdownBlock markdown={appeal.body} />
        <Button href={appeal.donateUrl}>{appeal.donateLabel ?? 'Support our journalism'}</Button>
      </div>
    </Band>
  );
}
