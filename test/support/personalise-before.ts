/**
 * The personalisation fast path as main had it on 1 December 2026 (commit ab82cb4), before it
 * was made quicker (issue 14): kept only so test/emails/personalise-before-after.test.ts can
 * show that the quicker code gives the same bytes. Every value through displayName and React's
 * five entities by a regular expression, every part in pieces and then joined.
 */
import { displayName } from '../../emails/_components/reader-name';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';
import { slots, type Placeholders, type Slot } from '../../src/emails/placeholders';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };
const escapeBefore = (value: string) => (/[&<>"']/.test(value) ? value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c) : value);

function compile(source: string, placeholders: Placeholders) {
  const bySlot = new Map<string, Slot>(slots.map((slot) => [placeholders.values[slot], slot]));
  const escaped = [...bySlot.keys()].map((t) => t.replace(/[{}]/g, '\\$&'));
  const pieces = source.split(new RegExp(`(${escaped.join('|')})`));
  return { parts: pieces.filter((_, i) => i % 2 === 0), holes: pieces.filter((_, i) => i % 2 === 1).map((p) => bySlot.get(p) as Slot) };
}

function fillAndJoin(template: ReturnType<typeof compile>, values: Record<Slot, string>) {
  let out = template.parts[0]!;
  template.holes.forEach((slot, i) => (out += values[slot] + template.parts[i + 1]!));
  return out;
}

export function personaliseBefore(rendered: RenderedEmail, placeholders: Placeholders): (values: Personalisation) => RenderedEmail {
  const subject = compile(rendered.subject, placeholders);
  const html = compile(rendered.html, placeholders);
  const text = compile(rendered.text, placeholders);
  return (values) => {
    const raw: Record<Slot, string> = {
      name: displayName(values.name),
      unsubscribeUrl: values.unsubscribeUrl,
      preferencesUrl: values.preferencesUrl,
      viewInBrowserUrl: values.viewInBrowserUrl,
      readerToken: values.readerToken ?? '',
      actionUrl: values.actionUrl ?? '',
    };
    const forHtml = Object.fromEntries(slots.map((slot) => [slot, escapeBefore(raw[slot])])) as Record<Slot, string>;
    return { subject: fillAndJoin(subject, raw), html: fillAndJoin(html, forHtml), text: fillAndJoin(text, raw) };
  };
}
