import sanitizeHtml from 'sanitize-html';

/**
 * Campaign HTML as Broadside serves it on its own origin (archive, preview) and as it stores a
 * custom campaign's render: everything an email may hold, nothing that runs. An editor's MJML
 * can carry anything through <mj-raw>, and a page on Broadside's origin is same-origin with
 * /admin, so a script in it would act with the editor's session; the CSP on those pages is the
 * second wall, this is the first.
 *
 * Dropped: script-like and embedding elements (with their content), every on* attribute, and any
 * URL attribute whose scheme is not http(s), mailto, tel or a relative/fragment link (so no
 * javascript:, vbscript: or data: except data:image in <img src>). Kept: the document, tables,
 * inline and <style> CSS. Comments go (Outlook's conditional ones mean nothing on the web).
 *
 * Emails keep their comments (Outlook lays MJML out by them), so a custom campaign's MJML is
 * not rewritten: it is refused when its HTML holds active content (activeContent), with the
 * reason, at create, edit and render.
 */

/** Elements that run code, load other documents or change where the page points. */
const DROP = ['script', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal', 'base', 'template', 'slot'];

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'background', 'poster', 'srcset', 'data', 'cite', 'longdesc', 'usemap', 'manifest', 'ping', 'lowsrc', 'dynsrc']);

function safeUrl(tag: string, name: string, value: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:").
  const compact = value.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  if (name === 'srcset') return !/(^|,)\s*(?!https?:|\/|\.)[a-z][a-z0-9+.-]*:/.test(compact);
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact)?.[1];
  if (scheme === undefined) return true; // relative, #fragment, or //host (inherits https)
  if (['http', 'https', 'mailto', 'tel'].includes(scheme)) return true;
  return tag === 'img' && name === 'src' && /^data:image\/(png|gif|jpeg|webp);/.test(compact);
}

/** Why an element or attribute is active content, or null when it is not. */
function elementProblem(tag: string, attribs: Record<string, string>): string | null {
  if (DROP.includes(tag)) return `a <${tag}> element`;
  if (tag === 'meta' && 'http-equiv' in attribs && /refresh|set-cookie/i.test(attribs['http-equiv']!)) return `a <meta http-equiv="${attribs['http-equiv']}">`;
  if (tag === 'link' && !/^\s*stylesheet\s*$/i.test(attribs.rel ?? '')) return 'a <link> that is not a stylesheet';
  return null;
}

function attributeProblem(tag: string, name: string, value: string): string | null {
  const lower = name.toLowerCase();
  if (lower.startsWith('on')) return `an event handler (${lower}=)`;
  if (URL_ATTRIBUTES.has(lower) && !safeUrl(tag, lower, value)) return `a ${lower}= URL that is not http(s), mailto or tel (${value.slice(0, 40)})`;
  if (lower === 'style' && /expression\s*\(|javascript:|behavior\s*:|-moz-binding/i.test(value)) return 'a style= that runs code';
  return null;
}

const options: sanitizeHtml.IOptions = {
  allowedTags: false,
  allowedAttributes: false,
  allowVulnerableTags: true, // <style> is how email CSS travels; nothing in it runs.
  nonTextTags: ['script', 'noscript', 'textarea', 'option', 'xmp', 'template'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  exclusiveFilter: (frame) => elementProblem(frame.tag, frame.attribs) !== null,
  transformTags: {
    '*': (tagName, attribs) => {
      const kept: sanitizeHtml.Attributes = {};
      for (const [name, value] of Object.entries(attribs)) if (!attributeProblem(tagName, name, value)) kept[name] = value;
      return { tagName, attribs: kept };
    },
  },
};

/** The first piece of active content in `html`, described for an editor; null when there is none. */
export function activeContent(html: string): string | null {
  let found: string | null = null;
  sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    exclusiveFilter: (frame) => {
      found ??= elementProblem(frame.tag, frame.attribs);
      return false;
    },
    transformTags: {
      '*': (tagName, attribs) => {
        for (const [name, value] of Object.entries(attribs)) found ??= attributeProblem(tagName, name, value);
        return { tagName, attribs };
      },
    },
  });
  return found;
}

export function webSafeHtml(html: string): string {
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html)?.[0];
  const clean = sanitizeHtml(html, options);
  return doctype ? `${doctype.trim()}\n${clean}` : clean;
}

export const unsafeMjmlMessage = (what: string) =>
  `The MJML body contains ${what}. Emails and the web archive cannot carry scripts, event handlers or javascript: links; remove it.`;
