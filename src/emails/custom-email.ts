import { escapeHtml } from './escape-html';
import { htmlToText } from './plain-text';
import { displayName } from '../../emails/_components/reader-name';
import type { Personalisation, RenderedEmail } from '../../emails/_components/types';

/**
 * Custom campaigns: designers write the body in MJML and mark the reader's own parts with
 * placeholders: {{name}}, {{unsubscribe_url}}, {{preferences_url}}, {{view_in_browser_url}}. The unsubscribe one is required, as the whole value of an `href`:
 *
 *   <mj-text>Dear {{name}},</mj-text>
 *   <mj-text><a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
 *
 * `{{name}}` prints the reader's name or "reader"; spaces inside the braces are allowed. The
 * placeholders work in text and in quoted attributes, not inside <style>.
 */
const PLACEHOLDER = /\{\{\s*(name|unsubscribe_url|preferences_url|view_in_browser_url)\s*\}\}/g;

type Key = 'name' | 'unsubscribe_url' | 'preferences_url' | 'view_in_browser_url';

/**
 * A compiled custom campaign (HTML from `compileMjml`) for one reader, or, given
 * `createPlaceholders().values`, for everyone at once, ready for `compilePersonalised`.
 * The subject may use the same placeholders.
 */
export function renderCustomEmail(body: { subject: string; html: string }, personal: Personalisation): RenderedEmail {
  const raw: Record<Key, string> = {
    name: displayName(personal.name),
    unsubscribe_url: personal.unsubscribeUrl,
    preferences_url: personal.preferencesUrl,
    view_in_browser_url: personal.viewInBrowserUrl,
  };
  const html = body.html.replace(PLACEHOLDER, (_, key: Key) => escapeHtml(raw[key]));
  const subject = body.subject.replace(PLACEHOLDER, (_, key: Key) => raw[key]);
  return { subject, html, text: htmlToText(html) };
}
