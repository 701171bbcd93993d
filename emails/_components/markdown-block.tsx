/** @jsxImportSource react */
import { markdownToHtml } from './markdown';
import { font, fontShorthand } from './theme';

// The copy's own paragraphs state their type too (markdown.ts); this is for what sits between them.
const copy = { font: fontShorthand('17px/1.55', font.serif) } as const;

/**
 * Editor-written Markdown, sanitised (see ./markdown.ts). `inSerifCell`: the block sits directly
 * in a cell set in the body type (`cellType.serif`), which gives the block and its top-level
 * paragraphs their type; elsewhere (a digest's boxed appeal) they state it themselves.
 */
export function MarkdownBlock({ markdown, inSerifCell = false }: { markdown: string; inSerifCell?: boolean }) {
  return (
    <div
      style={inSerifCell ? undefined : copy}
      dangerouslySetInnerHTML={{ __html: markdownToHtml(markdown, { typeFromCell: inSerifCell }) }}
    />
  );
}
