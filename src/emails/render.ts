import { createElement, type FunctionComponent } from 'react';
import { render } from '@react-email/render';
import AlreadySubscribedEmail, { type AlreadySubscribedEmailProps } from '../../emails/already-subscribed';
import AppealEmail, { type AppealEmailProps } from '../../emails/appeal';
import ConfirmEmail, { type ConfirmEmailProps } from '../../emails/confirm';
import DigestEmail, { type DigestEmailProps } from '../../emails/digest';
import WelcomeEmail, { type WelcomeEmailProps } from '../../emails/welcome';
import { htmlToText } from './plain-text';
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
  return { subject, html, text: htmlToText(html) };
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

/** `subject` defaults to "<site>: <lead headline>". */
export function renderDigestEmail(props: DigestEmailProps & { subject?: string }): Promise<RenderedEmail> {
  const { subject, ...templateProps } = props;
  const lead = props.featured ?? props.articles[0];
  const fallback = lead ? `${props.site.name}: ${lead.title}` : `${props.site.name}: the weekly digest`;
  return renderEmail(DigestEmail, templateProps, subject ?? fallback);
}

/** `subject` defaults to the headline. */
export function renderAppealEmail(props: AppealEmailProps & { subject?: string }): Promise<RenderedEmail> {
  const { subject, ...templateProps } = props;
  return renderEmail(AppealEmail, templateProps, subject ?? props.headline);
}
