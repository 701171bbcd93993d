import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import type { ImageSize } from '../db/schema';

/** An image named by a feed, before its URL is resolved and checked. */
export interface ImageCandidate {
  url: string;
  alt?: string;
  width?: number;
  height?: number;
  /** Every rendition the site offers (WordPress media_details.sizes), when it says. */
  sizes?: ImageSize[];
}

export interface HtmlText {
  /** Plain text: tags removed, entities decoded, whitespace collapsed. */
  text: string;
  /** Every <img> in document order. */
  images: ImageCandidate[];
}

// Block-level boundaries become spaces, so "<p>One</p><p>Two</p>" reads "One Two", not "OneTwo".
const blockTag =
  /<\/?(?:p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|figure|pre|table|tr|td|th|section|article|header|footer|aside)\b[^>]*>/gi;

/**
 * Turns a fragment of HTML from a feed into plain text and the images it shows. Parsed by
 * sanitize-html (htmlparser2), which copes with the broken markup feeds carry; script, style and
 * captions are dropped with their content.
 */
export function readFeedHtml(html: string): HtmlText {
  const images: ImageCandidate[] = [];
  const escaped = sanitizeHtml(html.replace(smileyImage, smileyText).replace(blockTag, ' $& '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'figcaption', 'svg'],
    transformTags: {
      img: (tagName, attribs) => {
        const image = imageFromAttributes(attribs);
        if (image) images.push(image);
        return { tagName, attribs };
      },
    },
  });
  // sanitize-html returns text escaped for HTML (&amp;, &lt;); the excerpt is plain text.
  return { text: collapseWhitespace(decodeHTML(escaped)), images };
}

// WordPress shows emoji as <img class="wp-smiley" alt="📬" …>: the text keeps the character.
const smileyImage = /<img\b[^>]*\bclass\s*=\s*["'][^"']*\b(?:wp-smiley|emoji)\b[^>]*>/gi;
const smileyText = (tag: string) => /\balt\s*=\s*"([^"]*)"|\balt\s*=\s*'([^']*)'/i.exec(tag)?.slice(1).find((a) => a !== undefined) ?? '';

export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function imageFromAttributes(attribs: Record<string, string>): ImageCandidate | null {
  // Lazy-loading plugins put a placeholder (often a data: URI) in src and the real one aside.
  const src = [attribs.src, attribs['data-src'], attribs['data-lazy-src']].find(
    (s) => s && !s.trim().startsWith('data:'),
  );
  if (!src) return null;
  // Emoji and smilies are inline pictures of a character, never the story's picture.
  if (attribs.class && /\b(?:wp-smiley|emoji)\b/.test(attribs.class)) return null;
  return {
    url: src,
    alt: attribs.alt,
    width: positiveInt(attribs.width),
    height: positiveInt(attribs.height),
  };
}

export function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
