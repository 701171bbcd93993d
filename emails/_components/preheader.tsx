/** @jsxImportSource react */

const MAX = 150;

/**
 * The line an inbox shows after the subject, hidden in the email itself. Inboxes fill the rest
 * of their preview with the email's first text (the masthead), so the line is padded to 150
 * characters. react-email's Preview pads with a seven-character group per missing character
 * (no-break space and six zero-width marks, 20 bytes); this pads with no-break space and zero-width
 * non-joiner, the pair the common preheader hack uses (the joiner keeps clients from collapsing the
 * spaces): the same 150 - length spaces for a quarter of the bytes. Same hiding styles as Preview's;
 * `data-skip-in-text` leaves it out of the text part, as Preview does.
 */
export function Preheader({ text }: { text: string }) {
  const line = text.slice(0, MAX);
  return (
    <div
      style={{ display: 'none', overflow: 'hidden', lineHeight: '1px', opacity: 0, maxHeight: 0, maxWidth: 0 }}
      data-skip-in-text="true"
    >
      {line}
      {line.length < MAX && <div>{'\u00a0\u200c'.repeat(MAX - line.length)}</div>}
    </div>
  );
}
