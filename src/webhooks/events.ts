import * as z from 'zod';

/**
 * The Resend webhook events Broadside acts on, as the OpenAPI spec describes them
 * (`webhooks:` → `Email*Event`, `OutboundEmailEventData`, `WebhookEventBounce` …). Objects are
 * loose: a field Resend adds later must not make a delivery fail. Only what a decision rests on
 * is strict (the type, the message id, the bounce type).
 */

const outbound = z.looseObject({
  email_id: z.string().min(1).max(200),
  created_at: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  broadcast_id: z.string().optional(),
  template_id: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  headers: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
});

const bounce = z.looseObject({
  diagnosticCode: z.array(z.string()),
  message: z.string(),
  // The spec lists Undetermined, General, NoEmail, MailboxFull, MessageTooLarge, ContentRejected,
  // AttachmentRejected; a new one is still a bounce, so any string is taken.
  subType: z.string(),
  type: z.enum(['Undetermined', 'Transient', 'Permanent']),
});

const click = z.looseObject({
  ipAddress: z.string(),
  link: z.string(),
  timestamp: z.string(),
  userAgent: z.string(),
});

const failed = z.looseObject({ reason: z.string() });

const suppressed = z.looseObject({
  diagnosticCode: z.array(z.string()),
  message: z.string(),
  reason: z.string(), // previous_bounce | previous_complaint
  type: z.string(), // Suppressed | OnAccountSuppressionList
});

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.looseObject({ type: z.literal(type), created_at: z.string(), data });

export const resendEvent = z.discriminatedUnion('type', [
  event('email.sent', outbound),
  event('email.delivered', outbound),
  event('email.delivery_delayed', outbound),
  event('email.bounced', outbound.extend({ bounce })),
  event('email.complained', outbound),
  event('email.opened', outbound),
  event('email.clicked', outbound.extend({ click })),
  event('email.failed', outbound.extend({ failed })),
  event('email.scheduled', outbound),
  event('email.suppressed', outbound.extend({ suppressed })),
]);

export type ResendEvent = z.infer<typeof resendEvent>;
export type ResendEventType = ResendEvent['type'];

export const knownEventTypes: ReadonlySet<string> = new Set<ResendEventType>([
  'email.sent',
  'email.delivered',
  'email.delivery_delayed',
  'email.bounced',
  'email.complained',
  'email.opened',
  'email.clicked',
  'email.failed',
  'email.scheduled',
  'email.suppressed',
]);

/** Every event, known or not, has at least a type. */
export const anyEvent = z.looseObject({ type: z.string().min(1).max(100) });

/** When it happened, by the event's own clock; the receipt time if that cannot be read. */
export function eventTime(e: ResendEvent, fallback: number): number {
  const t = Date.parse(e.created_at);
  return Number.isFinite(t) ? t : fallback;
}

/** The campaign an email belonged to, from the tags Broadside puts on every campaign email. */
export function campaignTag(e: ResendEvent): number | null {
  const tags = e.data.tags;
  if (!tags || tags.test === 'true') return null;
  const id = Number(tags.campaign);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
