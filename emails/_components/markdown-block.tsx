/** @jsxImportSource react */
import { markdownToHtml } from './markdown';
import { text } from './theme';

/** Editor-written Markdown, sanitised (see ./markdown.ts). */
export function MarkdownBlock({ markdown }: { markdown: string }) {
  return (
    <div
      style={{ fontFamily: text.body.fontFamily, fontSize: text.body.fontSize, lineHeight: text.body.lineHeight }}
      dangerouslySetInnerHTML={{ __html: markdownToHtml(markdown) }}
    />
  );
}
