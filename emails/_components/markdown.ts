import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { cls, colour, font, text } from './theme';

/**
 * Editors write digest intros and appeal bodies in Markdown. It becomes email HTML through
 * `marked`, then `sanitize-html` with a short allow-list, so a pasted snippet cannot bring
 * script, styles, frames, forms, event handlers or javascript: links into a bulk email.
 *
 * Images are dropped entirely, Markdown `![…](…)` included. An intro or appeal is a letter;
 * the pictures of a digest come from its articles, where Broadside sets alt text and size. An
 * image in editor copy would most often be a 1×1 tracking pixel or a remote file we cannot size,
 * and nothing a reader needs can depend on it.
 *
 * Links must be absolute http(s) or mailto: URLs (a relative link means nothing in an inbox);
 * any other link keeps its words and loses the link. Every kept tag gets Broadside's own inline
 * style and nothing else, so no attribute of the source survives except `href`.
 */

const style = (s: Record<string, string | number>) =>
  Object.entries(s)
    .map(([k, v]) => `${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${v}`)
    .join(';');

const bodyFont = { fontFamily: font.serif, fontSize: '17px', lineHeight: '1.55' };

const styles = {
  p: style({ ...bodyFont, margin: '0 0 16px' }),
  h2: style(text.h2),
  h3: style(text.h3),
  ul: style({ margin: '0 0 16px', padding: '0 0 0 24px' }),
  li: style({ ...bodyFont, margin: '0 0 6px' }),
  blockquote: style({
    margin: '0 0 16px',
    padding: '0 0 0 16px',
    borderLeft: `3px solid ${colour.rule}`,
    fontStyle: 'italic',
  }),
  hr: style({ border: 'none', borderTop: `1px solid ${colour.rule}`, margin: '24px 0' }),
  a: style(text.link),
};

type Attribs = Record<string, string>;
const restyle =
  (tagName: string, css: string, className?: string): sanitizeHtml.Transformer =>
  () => {
    const attribs: Attribs = { style: css };
    if (className) attribs.class = className;
    return { tagName, attribs };
  };

const isAbsoluteLink = (href: string | undefined): href is string => {
  if (!href) return false;
  try {
    return ['http:', 'https:', 'mailto:'].includes(new URL(href).protocol);
  } catch {
    return false;
  }
};

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'a', 'span', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'hr', 'code'],
  allowedAttributes: {
    a: ['href', 'style', 'class'],
    p: ['style'],
    h2: ['style', 'class'],
    h3: ['style', 'class'],
    ul: ['style'],
    ol: ['style'],
    li: ['style'],
    blockquote: ['style', 'class'],
    hr: ['style', 'class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  // Their text is code or markup, not prose: drop it with the tag.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'title', 'select', 'button'],
  transformTags: {
    p: restyle('p', styles.p),
    // The email has its own h1; an editor's headings sit one or two levels below it.
    h1: restyle('h2', styles.h2, cls.ink),
    h2: restyle('h2', styles.h2, cls.ink),
    h3: restyle('h3', styles.h3, cls.ink),
    h4: restyle('h3', styles.h3, cls.ink),
    h5: restyle('h3', styles.h3, cls.ink),
    h6: restyle('h3', styles.h3, cls.ink),
    ul: restyle('ul', styles.ul),
    ol: restyle('ol', styles.ul),
    li: restyle('li', styles.li),
    blockquote: restyle('blockquote', styles.blockquote, cls.rule),
    hr: restyle('hr', styles.hr, cls.rule),
    a: (_tag: string, attribs: Attribs): sanitizeHtml.Tag =>
      isAbsoluteLink(attribs.href)
        ? { tagName: 'a', attribs: { href: attribs.href, style: styles.a, class: cls.link } }
        : // A bare span keeps the words. (Turning it into a disallowed tag instead would trip a
          // sanitize-html bug that closes the next link at the same depth with </span>.)
          { tagName: 'span', attribs: {} },
  },
  // Paragraphs left empty once images or markup are gone would show as blank gaps.
  exclusiveFilter: (frame) => frame.tag === 'p' && frame.text.trim() === '',
};

// Our own instance, so that nothing configured on the shared `marked` elsewhere leaks in.
const marked = new Marked({ async: false, gfm: true, breaks: false });

export interface MarkdownOptions {
  /**
   * The copy sits directly in a table cell set in the body type (`cellType.serif`): a paragraph
   * at the top level then states only its margin and takes the rest from the cell, as the
   * templates' own paragraphs do (Outlook for Windows passes a cell's type on to the paragraphs
   * in it). Paragraphs in a quote or a list keep all their longhands: what Outlook passes on
   * through a blockquote or a list is not known, and a quote's must stay italic.
   */
  typeFromCell?: boolean;
}

const shortP = `<p style="${style({ margin: '0 0 16px' })}">`;
const longP = `<p style="${styles.p}">`;

/** Markdown to sanitised, inline-styled HTML for an email body. */
export function markdownToHtml(markdown: string, options: MarkdownOptions = {}): string {
  const raw = marked.parse(markdown, { async: false });
  const html = sanitizeHtml(raw, sanitizeOptions).trim();
  return options.typeFromCell ? withTopLevelParagraphsFromCell(html) : html;
}

/**
 * Sanitised copy, so every tag is one of the allow-list's with Broadside's own attributes, and
 * every paragraph starts exactly `longP`; text is escaped, so these tags are only ever markup.
 */
function withTopLevelParagraphsFromCell(html: string): string {
  let depth = 0;
  return html.replace(/<(\/?)(blockquote|ul|ol)\b[^>]*>|<p style="[^"]*">/g, (tag, close: string, container?: string) => {
    if (container) {
      depth += close ? -1 : 1;
      return tag;
    }
    return depth === 0 && tag === longP ? shortP : tag;
  });
}
