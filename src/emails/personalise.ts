import { escapeHtml } from './escape-html';
import { slots, type Placeholders, type Slot } from './placeholders';
import { displayName } from '../../emails/_components/reader-name';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { flatText, type Pieced } from '../mailer/mail-text';

/**
 * The per-reader fast path. A campaign is rendered once with placeholder values (about 1.6 ms);
 * `compilePersonalised` splits each part at its placeholders once, and every reader then costs a
 * few string joins (microseconds).
 *
 * Substituted values are escaped the way the renderer would have escaped them: in the HTML with
 * React's five entities (names and URLs alike; URLs are Broadside's own, so nothing else needs
 * doing to them), raw in the text part and subject. Names go through `displayName` as in the
 * templates. The result is byte-identical to rendering the template for that reader, which
 * test/emails/personalise.test.ts checks over arbitrary names and URLs.
 *
 * Precondition for that identity: URLs contain no whitespace and are not `mailto:` (the text
 * conversion would reflow or shorten them). Broadside's links are https URLs with tokens.
 */
export interface Personaliser {
  (values: Personalisation): RenderedEmail;
  /**
   * The same email with its HTML and text parts in pieces: the literal parts are the campaign's,
   * shared by every reader (the same arrays on every call); only the values are this reader's.
   * `flatText` of each part equals what the call above returns.
   */
  pieces(values: Personalisation): { subject: string; html: Pieced; text: Pieced };
  /** The slots the HTML part contains, e.g. to refuse a campaign without an unsubscribe link. */
  readonly htmlSlots: ReadonlySet<Slot>;
}

interface Template {
  /** Literal text around the slots: `parts.length === holes.length + 1`. */
  parts: string[];
  holes: Slot[];
}

function compile(source: string, placeholders: Placeholders): Template {
  const bySlot = new Map<string, Slot>(slots.map((slot) => [placeholders.values[slot], slot]));
  const escaped = [...bySlot.keys()].map((t) => t.replace(/[{}]/g, '\\$&'));
  const pieces = source.split(new RegExp(`(${escaped.join('|')})`));
  const parts: string[] = [];
  const holes: Slot[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) parts.push(piece);
    else holes.push(bySlot.get(piece) as Slot);
  });
  return { parts, holes };
}

/**
 * The values of one part's holes. `values[slot]` is undefined for a slot the part does not use.
 */
function fill(template: Template, values: Partial<Record<Slot, string>>): Pieced {
  return { parts: template.parts, values: template.holes.map((slot) => values[slot] as string) };
}

export function compilePersonalised(rendered: RenderedEmail, placeholders: Placeholders): Personaliser {
  const subject = compile(rendered.subject, placeholders);
  const html = compile(rendered.html, placeholders);
  const text = compile(rendered.text, placeholders);
  const htmlSlots = new Set(html.holes);
  const inHtml = (slot: Slot) => htmlSlots.has(slot);
  // Escaping is what a reader costs most beside the links' MAC (a scan of each value, and the
  // scan first flattens a freshly built link): only the values the HTML contains are escaped.
  const [name, unsubscribe, preferences, reader, action] = (['name', 'unsubscribeUrl', 'preferencesUrl', 'readerToken', 'actionUrl'] as const).map(inHtml);
  // The archive link is the same for every reader of a campaign: escaped once, not per reader.
  const view = inHtml('viewInBrowserUrl') ? lastOf(escapeHtml) : () => undefined;
  const pieces = (values: Personalisation) => {
    const raw: Record<Slot, string> = {
      name: displayName(values.name),
      unsubscribeUrl: values.unsubscribeUrl,
      preferencesUrl: values.preferencesUrl,
      viewInBrowserUrl: values.viewInBrowserUrl,
      readerToken: values.readerToken ?? '',
      actionUrl: values.actionUrl ?? '',
    };
    const forHtml: Partial<Record<Slot, string>> = {
      name: name ? escapeHtml(raw.name) : undefined,
      unsubscribeUrl: unsubscribe ? escapeHtml(raw.unsubscribeUrl) : undefined,
      preferencesUrl: preferences ? escapeHtml(raw.preferencesUrl) : undefined,
      viewInBrowserUrl: view(raw.viewInBrowserUrl),
      readerToken: reader ? escapeHtml(raw.readerToken) : undefined,
      actionUrl: action ? escapeHtml(raw.actionUrl) : undefined,
    };
    return { subject: flatText(fill(subject, raw)), html: fill(html, forHtml), text: fill(text, raw) };
  };
  const personalise = (values: Personalisation): RenderedEmail => {
    const email = pieces(values);
    return { subject: email.subject, html: flatText(email.html), text: flatText(email.text) };
  };
  return Object.assign(personalise, { pieces, htmlSlots });
}

/** `f`, remembering its last argument and result: for a value most calls repeat. */
function lastOf(f: (value: string) => string): (value: string) => string {
  let last: string | undefined;
  let result = '';
  return (value) => {
    if (value !== last) {
      last = value;
      result = f(value);
    }
    return result;
  };
}
