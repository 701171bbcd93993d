import { collapseWhitespace, readFeedHtml, type ImageCandidate } from './html-text';
import { stripShortcodes } from './shortcodes';

/** Long enough for two or three lines under a headline in a digest. */
export const EXCERPT_MAX_LENGTH = 300;

// WordPress SEO plugins end every feed item with `<p>The post <a>Title</a> appeared first on
// <a>Site</a>.</p>`. Removed as markup first, where its paragraph is unambiguous.
const appearedFirstOnHtml =
  /<p\b[^>]*>\s*The post\s+<a\b[\s\S]*?<\/a>\s+appeared first on\s+<a\b[\s\S]*?<\/a>\.?\s*<\/p>/gi;
// The same sentence when it arrives as text; only ever at the very end.
const appearedFirstOnText = /^The post .{1,400} appeared first on .{1,200}$/s;
// WordPress's truncation marks: "[…]", "[...]", "[&hellip;]" (decoded by now).
const bracketedEllipsis = /\s*\[\s*(?:…|\.\.\.)\s*\]\s*$/;
// Theme "more" links. "Continue reading" is followed by the title (a screen-reader span).
const continueReading = /\s*Continue reading\b.{0,300}$/s;
const readMore = /\s*Read (?:more|More|the full (?:story|article))\s*[»→…:.]*\s*$/;

export interface ExcerptSource {
  text: string;
  images: ImageCandidate[];
}

/** Plain text of a feed's HTML with WordPress's boilerplate removed, before any trimming. */
export function cleanFeedHtml(html: string): ExcerptSource {
  const { text, images } = readFeedHtml(html.replace(appearedFirstOnHtml, ' '));
  return { text: removeTrailingBoilerplate(collapseWhitespace(stripShortcodes(text))), images };
}

function removeTrailingBoilerplate(text: string): string {
  let out = text;
  const postAt = out.lastIndexOf('The post ');
  if (postAt >= 0 && appearedFirstOnText.test(out.slice(postAt))) out = out.slice(0, postAt);
  let truncated = false;
  for (const tail of [continueReading, readMore, bracketedEllipsis]) {
    const before = out;
    out = out.replace(tail, '');
    if (out !== before) truncated = true;
  }
  out = out.trim();
  // The site cut the text short; say so the way readers expect.
  if (truncated && out && !/[.!?…"”’)]$/.test(out)) out += '…';
  return out;
}

/** Trims plain text to at most `max` characters, on a word boundary, ending with "…" when cut. */
export function trimExcerpt(text: string, max = EXCERPT_MAX_LENGTH): string {
  const collapsed = collapseWhitespace(text);
  if (collapsed.length <= max) return collapsed;
  const room = collapsed.slice(0, max - 1);
  const lastSpace = room.lastIndexOf(' ');
  // A single enormous word (a URL) is cut where it must be rather than emptied.
  const cut = lastSpace > max * 0.6 ? room.slice(0, lastSpace) : room;
  return `${cut.replace(/[\s,;:.\-–—…]+$/, '')}…`;
}
