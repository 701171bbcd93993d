/** @jsxImportSource react */

const MAX = 150;

/**
 * The line an inbox shows after the subject, hidden in the email itself. Inboxes fill the rest
 * of their preview with the email's first text (the masthead), so the line is padded to 150
 * characters with blank ones: each a no-break space (its width pushes the masthead out of a
 * preview that is measured rather than counted) followed by a combining grapheme joiner, U+034F,
 * which shows nothing and is not whitespace, so that a preview which collapses runs of spaces
 * (treating no-break spaces as spaces) still keeps every one. The common preheader hack pairs the
 * space with a zero-width non-joiner (3 bytes in UTF-8) or uses `&#847;` itself; the joiner is 2
 * bytes. react-email's Preview pads with seven characters per space (20 bytes). Same hiding
 * styles as Preview's, the padding straight after the line (Preview's inner div holds nothing
 * else); `data-skip-in-text` leaves it out of the text part, as Preview does.
 */
export function Preheader({ text }: { text: string }) {
  const line = text.slice(0, MAX);
  return (
    <div
      style={{ display: 'none', overflow: 'hidden', lineHeight: '1px', opacity: 0, maxHeight: 0, maxWidth: 0 }}
      data-skip-in-text="true"
    >
      {line.length < MAX ? line + '\u00a0\u034f'.repeat(MAX - line.length) : line}
    </div>
  );
}
