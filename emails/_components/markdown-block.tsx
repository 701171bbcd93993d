/** @jsxImportSource react */
import { markdownToHtml } from './markdown';
import { font, fontShorthand } from './theme';

// The copy's own paragraphs state their type too (markdown.ts); this is for what sits between them.
const copy = { font: fontShorthand('17px/1.55', font.serif) } as const;

/** Editor-written Markdown, sanitised (see ./markdown.ts). */
export function MarkdownBlock({ markdown }: { markdown: string }) {
  return (
    <div
      style={copy}
      dangerouslySetInnerHTML={{ __html: markdownToHtml(markdown) }}
    />
  );
}
