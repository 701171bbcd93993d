import { markdownToHtml } from '../../emails/_components/markdown';
import { toPlainText } from '@react-email/render';

/**
 * The plain-text part of every email, converted from its HTML with html-to-text (through
 * react-email's `toPlainText`, which already skips images and preheaders and shows links as bare
 * URLs). What we change:
 * - headings keep their level as Markdown-style `#` prefixes instead of being upper-cased into
 *   one undifferentiated shout;
 * - `data-text-line` puts an element on its own line (footer links sit in one row in HTML);
 * - `data-text-nohref` hides a link's URL when the text says it already (the masthead).
 */

// html-to-text ships no types; this is the slice of its formatter API used here.
interface TextBuilder {
  openBlock(options: { leadingLineBreaks?: number }): void;
  closeBlock(options: { trailingLineBreaks?: number }): void;
  addInline(text: string, options?: { noWordTransform?: boolean }): void;
}
interface HeadingOptions {
  prefix?: string;
  leadingLineBreaks?: number;
  trailingLineBreaks?: number;
}
type Walk = (nodes: unknown, builder: TextBuilder) => void;

function markdownHeading(
  elem: { children: unknown },
  walk: Walk,
  builder: TextBuilder,
  options: HeadingOptions,
): void {
  builder.openBlock({ leadingLineBreaks: options.leadingLineBreaks ?? 2 });
  builder.addInline(options.prefix ?? '#', { noWordTransform: true });
  builder.addInline(' ');
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: options.trailingLineBreaks ?? 2 });
}

const heading = (level: number) => ({
  format: 'markdownHeading',
  options: { prefix: '#'.repeat(level), leadingLineBreaks: 2, trailingLineBreaks: 2 },
});

const options = {
  formatters: { markdownHeading },
  selectors: [
    { selector: 'h1', ...heading(1) },
    { selector: 'h2', ...heading(2) },
    { selector: 'h3', ...heading(3) },
    { selector: 'h4', ...heading(4) },
    { selector: 'h5', ...heading(4) },
    { selector: 'h6', ...heading(4) },
    { selector: '[data-text-line]', format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    {
      selector: 'a[data-text-nohref]',
      format: 'anchor',
      options: { ignoreHref: true },
    },
  ],
};

/** The text part for an email's HTML. */
export function htmlToText(html: string): string {
  // Nested layout tables leave runs of blank lines; one blank line is enough between blocks.
  return toPlainText(html, options).replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

/** The same Markdown as the text part shows it (headings as `##`, links as URLs). */
export function markdownToText(markdown: string): string {
  return htmlToText(markdownToHtml(markdown));
}
