import { escapeHtml } from './escape-html';
import { slots, type Placeholders, type Slot } from './placeholders';
import { shownName } from './shown-name';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import type { Pieced } from '../mailer/mail-text';

/**
 * A reader's values. `linksHtmlSafe`: the caller vouches that `unsubscribeUrl` and
 * `preferencesUrl` hold no character HTML escaping changes, so the HTML takes them as they are.
 * Only `campaignReaderLinks` (src/subscribers/links.ts) says so, and only when the campaign's
 * public URL has none (its tokens are base64url and dots): checking each link instead costs a
 * scan of a string built for this reader, which the scan must first flatten (a copy), about a
 * fifth of a signed reader's time on Node 20. The output is the same either way
 * (test/emails/personalise-safe-links.test.ts).
 */
export interface ReaderValues extends Personalisation {
  linksHtmlSafe?: boolean;
}

/**
 * The per-reader fast path. A campaign is rendered once with placeholder values (about 1.6 ms);
 * `compilePersonalised` splits each part at its placeholders once, and every reader then costs a
 * few string joins (microseconds).
 *
 * Substituted values are escaped the way the renderer would have escaped them: in the HTML with
 * React's five entities (names and URLs alike; URLs are Broadside's own, so nothing else needs
 * doing to them), raw in the text part and subject. Names go through `displayName` (by way of
 * `shownName`, its quicker equivalent) as in the templates. The result is byte-identical to
 * rendering the template for that reader, which test/emails/personalise.test.ts checks over
 * arbitrary names and URLs.
 *
 * Precondition for that identity: URLs contain no whitespace and are not `mailto:` (the text
 * conversion would reflow or shorten them). Broadside's links are https URLs with tokens.
 */
export interface Personaliser {
  (values: ReaderValues): RenderedEmail;
  /**
   * The same email with its HTML and text parts in pieces: the literal parts are the campaign's,
   * shared by every reader (the same arrays on every call); only the values are this reader's.
   * `flatText` of each part equals what the call above returns.
   */
  pieces(values: ReaderValues): { subject: string; html: Pieced; text: Pieced };
  /** The slots the HTML part contains, e.g. to refuse a campaign without an unsubscribe link. */
  readonly htmlSlots: ReadonlySet<Slot>;
}

interface Template {
  /** Literal text around the slots: `parts.length === holes.length + 1`. */
  parts: string[];
  /** Each hole's slot, as its index in `slots`. */
  holes: number[];
}

/**
 * A reader's values by slot index (the order of `slots`). By index rather than by name: a
 * template's holes name several slots, and a load keyed by many names is a hash lookup each time
 * on Node 20 (the inline cache goes megamorphic), where an array element is one load.
 */
type Values = string[];

function compile(source: string, placeholders: Placeholders): Template {
  const bySlot = new Map<string, number>(slots.map((slot, i) => [placeholders.values[slot], i]));
  const escaped = [...bySlot.keys()].map((t) => t.replace(/[{}]/g, '\\$&'));
  const pieces = source.split(new RegExp(`(${escaped.join('|')})`));
  const parts: string[] = [];
  const holes: number[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) parts.push(piece);
    else holes.push(bySlot.get(piece)!);
  });
  return { parts, holes };
}

/** The same part whole: `flatText` of its pieces. */
function join(template: Template, values: Values): string {
  const { parts, holes } = template;
  let out = parts[0]!;
  for (let i = 0; i < holes.length; i++) out += values[holes[i]!]! + parts[i + 1]!;
  return out;
}

export function compilePersonalised(rendered: RenderedEmail, placeholders: Placeholders): Personaliser {
  const subject = compile(rendered.subject, placeholders);
  const html = compile(rendered.html, placeholders);
  const text = compile(rendered.text, placeholders);
  const htmlSlots = new Set(html.holes.map((i) => slots[i]!));
  // Escaping is what a reader costs most beside the links' MAC (a scan of each value, and the
  // scan first flattens a freshly built link): only the values the HTML contains are escaped.
  const [name, unsubscribe, preferences, view, reader, action] = slots.map((slot) => htmlSlots.has(slot));
  // The archive link is the campaign's, the same for every reader: escaped once while it stays so.
  let viewRaw = '';
  let viewHtml = '';
  const escapeView = (url: string) => {
    if (url !== viewRaw) [viewRaw, viewHtml] = [url, escapeHtml(url)];
    return viewHtml;
  };
  /** One reader's values (in the order of `slots`): raw for the subject and the text part, escaped for the HTML. */
  const valuesOf = (values: ReaderValues) => {
    const safe = values.linksHtmlSafe === true;
    const raw: Values = [shownName(values.name), values.unsubscribeUrl, values.preferencesUrl, values.viewInBrowserUrl, values.readerToken ?? '', values.actionUrl ?? ''];
    const forHtml: Values = [
      name ? escapeHtml(raw[0]!) : '',
      unsubscribe && !safe ? escapeHtml(raw[1]!) : raw[1]!,
      preferences && !safe ? escapeHtml(raw[2]!) : raw[2]!,
      view ? escapeView(raw[3]!) : '',
      reader ? escapeHtml(raw[4]!) : '',
      action ? escapeHtml(raw[5]!) : '',
    ];
    return { raw, forHtml };
  };
  const pieces = (values: ReaderValues) => {
    const { raw, forHtml } = valuesOf(values);
    // The values by slot, with the template's holes saying where each goes: nothing per hole.
    return { subject: join(subject, raw), html: { parts: html.parts, holes: html.holes, values: forHtml }, text: { parts: text.parts, holes: text.holes, values: raw } };
  };
  // Whole, each part is joined straight from the reader's values: no pieces to allocate.
  const personalise = (values: ReaderValues): RenderedEmail => {
    const { raw, forHtml } = valuesOf(values);
    return { subject: join(subject, raw), html: join(html, forHtml), text: join(text, raw) };
  };
  return Object.assign(personalise, { pieces, htmlSlots });
}
