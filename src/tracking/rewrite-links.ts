import { decodeHTMLAttribute } from 'entities';
import { escapeHtml } from '../emails/escape-html';
import type { RenderedEmail } from '../../emails/_components/types';

/**
 * Link rewriting for click tracking, applied to a rendered email (HTML and text parts).
 *
 * Only the `href` of tags a reader follows is touched: `<a>`, `<area>` and the VML buttons MJML
 * writes for Outlook (`<v:roundrect>`); never `<link>` (fonts, stylesheets) or images. The new
 * URL is escaped as React escapes attributes, so rewriting a per-reader render gives exactly the
 * bytes of personalising a rewritten placeholder render (test/emails/personalise-tracking.test.ts).
 *
 * In the text part a URL is replaced only when it is exactly one of the tracked URLs (minus
 * trailing punctuation), which is how html-to-text prints a link.
 */

const LINK_TAG = /<(?:a|area|v:roundrect)\b[^>]*>/gi;
const HREF = /(\shref\s*=\s*)(?:"([^"]*)"|'([^']*)')/i;
const TEXT_URL = /https?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Maps a link's URL to its tracked replacement, or null to leave it as it is. */
export type TrackedUrl = (url: string) => string | null;

/** Every href of a followable link in the HTML, decoded, in order, with repeats. */
export function linksIn(html: string): string[] {
  const out: string[] = [];
  for (const [tag] of html.matchAll(LINK_TAG)) {
    const m = HREF.exec(tag);
    if (m) out.push(decodeHTMLAttribute(m[2] ?? m[3] ?? ''));
  }
  return out;
}

function rewriteHtml(html: string, tracked: TrackedUrl): string {
  return html.replace(LINK_TAG, (tag) =>
    tag.replace(HREF, (whole, prefix: string, dq?: string, sq?: string) => {
      const next = tracked(decodeHTMLAttribute(dq ?? sq ?? ''));
      return next === null ? whole : `${prefix}"${escapeHtml(next)}"`;
    }),
  );
}

function rewriteText(text: string, tracked: TrackedUrl): string {
  return text.replace(TEXT_URL, (found) => {
    const whole = tracked(found);
    if (whole !== null) return whole;
    const tail = TRAILING.exec(found)?.[0] ?? '';
    if (!tail) return found;
    const next = tracked(found.slice(0, -tail.length));
    return next === null ? found : next + tail;
  });
}

/** The email with its tracked links replaced; the subject never holds links. */
export function rewriteLinks(email: RenderedEmail, tracked: TrackedUrl): RenderedEmail {
  return { subject: email.subject, html: rewriteHtml(email.html, tracked), text: rewriteText(email.text, tracked) };
}

/** Adds a 1×1 open-tracking image at the end of the body. */
export function addOpenPixel(html: string, src: string): string {
  const img = `<img src="${escapeHtml(src)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  const at = html.lastIndexOf('</body>');
  return at === -1 ? html + img : html.slice(0, at) + img + html.slice(at);
}
