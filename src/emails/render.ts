import { createElement, type FunctionComponent } from 'react';
import { render } from '@react-email/render';
import AlreadySubscribedEmail, { type AlreadySubscribedEmailProps } from '../../emails/already-subscribed';
import AppealEmail, { type AppealEmailProps } from '../../emails/appeal';
import ConfirmEmail, { type ConfirmEmailProps } from '../../emails/confirm';
import DigestEmail, { type DigestEmailProps } from '../../emails/digest';
import WelcomeEmail, { type WelcomeEmailProps } from '../../emails/welcome';
import { htmlToText } from './plain-text';
import { memoised } from './render-memo';
import type { RenderedEmail } from '../../emails/_components/types';

export type {
  AlreadySubscribedEmailProps,
  AppealEmailProps,
  ConfirmEmailProps,
  DigestEmailProps,
  WelcomeEmailProps,
};

/**
 * The email templates as `{ subject, html, text }`. Hono code calls these rather than writing
 * `<Template/>` itself: the root tsconfig compiles JSX for hono/jsx, the templates for React.
 */

async function renderEmail<P extends object>(
  template: FunctionComponent<P>,
  props: P,
  subject: string,
): Promise<RenderedEmail> {
  const html = await render(createElement(template, props));
  return { subject, html: withMsoStyles(withoutBareSpans(withoutTbody(withoutReactMarkers(withoutTextHints(html))))), text: htmlToText(html) };
}

/**
 * React's streaming renderer marks its Suspense boundary and the document's html, head and body
 * with comments (`<!--$-->`, `<!--html-->`, …) for hydration, which an email never has.
 */
const withoutReactMarkers = (html: string) => html.replace(/<!--(?:\$|\/\$|html|head|body)-->/g, '');

/**
 * Every HTML parser, email clients' included, puts the rows of a table in a tbody whether the
 * markup says so or not (the tag is optional in HTML 4 and 5); React insists on writing one
 * (in development it warns about a `<tr>` directly in a `<table>`). The templates' tbody tags
 * carry no attributes, so dropping them changes no document; editor copy cannot hold tables
 * (markdown.ts) and text is escaped, so these exact tags are only ever the templates'.
 */
const withoutTbody = (html: string) => html.replace(/<\/?tbody>/g, '');

/**
 * The `data-skip-in-text` / `data-text-nohref` / `data-text-line` hints are for the text part
 * only (plain-text.ts): once it is made they are dropped from the HTML, where a 10-article digest
 * carries dozens of them to every reader. React always writes them exactly so (`="true"`, double
 * quotes).
 */
const withoutTextHints = (html: string) => html.replace(/ data-(?:skip-in-text|text-nohref|text-line)="true"/g, '');

/**
 * A template's CSS for Outlook for Windows only (EmailLayout's `msoCss`) goes inside a conditional
 * comment, which only Outlook's Word engine reads; React cannot write a comment itself.
 */
const withMsoStyles = (html: string) =>
  html.replace(/<style data-mso="true">([^<]*)<\/style>/g, '<!--[if mso]><style>$1</style><![endif]-->');

/**
 * A `<span>` without attributes changes nothing in any client; the footer's exist only to carry
 * text-part hints, gone by now, and sanitised editor copy keeps spans bare too. Each is dropped
 * with its own closing tag (spans with attributes, and what is inside, are kept).
 */
export function withoutBareSpans(html: string): string {
  const open: boolean[] = [];
  return html.replace(/<span\b[^>]*>|<\/span>/g, (tag) => {
    if (tag !== '</span>') {
      open.push(tag === '<span>');
      return tag === '<span>' ? '' : tag;
    }
    return open.pop() ? '' : tag;
  });
}

export function renderConfirmEmail(props: ConfirmEmailProps): Promise<RenderedEmail> {
  return renderEmail(ConfirmEmail, props, `Confirm your subscription to ${props.site.name}`);
}

export function renderWelcomeEmail(props: WelcomeEmailProps): Promise<RenderedEmail> {
  return renderEmail(WelcomeEmail, props, `Welcome to ${props.site.name}`);
}

export function renderAlreadySubscribedEmail(props: AlreadySubscribedEmailProps): Promise<RenderedEmail> {
  return renderEmail(AlreadySubscribedEmail, props, `You are already subscribed to ${props.site.name}`);
}

// Campaigns are rendered with the same props many times (preview, send page, test, the send's
// snapshot): remembered by their props (src/emails/render-memo.ts). A copy is handed out, so a
// caller changing its result cannot change the next caller's.
const digestRender = memoised((key) => {
  const props = JSON.parse(key) as DigestEmailProps & { subject?: string };
  const { subject, ...templateProps } = props;
  const lead = props.featured ?? props.articles[0];
  const fallback = lead ? `${props.site.name}: ${lead.title}` : `${props.site.name}: the weekly digest`;
  return renderEmail(DigestEmail, templateProps, subject ?? fallback);
});
const appealRender = memoised((key) => {
  const props = JSON.parse(key) as AppealEmailProps & { subject?: string };
  const { subject, ...templateProps } = props;
  return renderEmail(AppealEmail, templateProps, subject ?? props.headline);
});

/** `subject` defaults to "<site>: <lead headline>". */
export async function renderDigestEmail(props: DigestEmailProps & { subject?: string }): Promise<RenderedEmail> {
  return { ...(await digestRender(JSON.stringify(props))) };
}

/** `subject` defaults to the headline. */
export async function renderAppealEmail(props: AppealEmailProps & { subject?: string }): Promise<RenderedEmail> {
  return { ...(await appealRender(JSON.stringify(props))) };
}
