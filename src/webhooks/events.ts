import * as z from 'zod';

/**
 * The Resend webhook events Broadside acts on, as the OpenAPI spec describes them
 * (`webhooks:` → `Email*Event`, `OutboundEmailEventData`, `WebhookEventBounce` …). Objects are
 * loose: a field Resend adds later, leaves out or sends as null must not make a delivery fail.
 * Only what a decision rests on is strict (the type, the message id, the bounce type); an event
 * failing those is acknowledged and logged by the route, since a retry cannot fix it.
 */

/**
 * A field nothing decides on: taken when it has the documented type, dropped (undefined) when it
 * is missing, null, or something else. Resend's own examples and the `resend` SDK's types leave
 * out fields the spec lists (a bounce without diagnosticCode, a suppression with only message and
 * type) and send null for others (broadcast_id, template_id, tags).
 */
const loose = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Resend sends tags as {name: value}; older payloads and the API's input use [{name, value}]. */
const tags = z
  .union([
    z.record(z.string(), z.string()),
    z.array(z.looseObject({ name: z.string(), value: z.string() })).transform((list) => Object.fromEntries(list.map((t) => [t.name, t.value]))),
  ])
  .optional()
  .catch(undefined);

const outbound = z.looseObject({
  // The one thing every decision rests on: which email this is about.
  email_id: z.string().min(1).max(200),
  created_at: loose(z.string()),
  from: loose(z.string()),
  to: z
    .union([z.array(z.string()), z.string().transform((one) => [one])])
    .catch([])
    .default([]),
  subject: loose(z.string()),
  broadcast_id: loose(z.string()),
  template_id: loose(z.string()),
  tags,
  headers: loose(z.array(z.looseObject({ name: z.string(), value: z.string() }))),
});

const bounce = z.looseObject({
  diagnosticCode: loose(z.array(z.string())),
  message: loose(z.string()),
  // The spec lists Undetermined, General, NoEmail, MailboxFull, MessageTooLarge, ContentRejected,
  // AttachmentRejected; a new one is still a bounce, so any string is taken.
  subType: loose(z.string()),
  // Whether the reader is stopped rests on this: strict.
  type: z.enum(['Undetermined', 'Transient', 'Permanent']),
});

const click = z.looseObject({
  ipAddress: loose(z.string()),
  link: loose(z.string()),
  timestamp: loose(z.string()),
  userAgent: loose(z.string()),
});

const failed = z.looseObject({ reason: loose(z.string()) });

const suppressed = z.looseObject({
  diagnosticCode: loose(z.array(z.string())),
  message: loose(z.string()),
  reason: loose(z.string()), // previous_bounce | previous_complaint
  type: loose(z.string()), // Suppressed | OnAccountSuppressionList
});

const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.looseObject({ type: z.literal(type), created_at: loose(z.string()), data });

export const resendEvent = z.discriminatedUnion('type', [
  event('email.sent', outbound),
  event('email.delivered', outbound),
  event('email.delivery_delayed', outbound),
  event('email.bounced', outbound.extend({ bounce })),
  event('email.complained', outbound),
  event('email.opened', outbound),
  event('email.clicked', outbound.extend({ click: click.catch({}) })),
  event('email.failed', outbound.extend({ failed: failed.catch({}) })),
  event('email.scheduled', outbound),
  event('email.suppressed', outbound.extend({ suppressed: suppressed.catch({}) })),
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
  const t = Date.parse(e.created_at ?? e.data.created_at ?? '');
  return Number.isFinite(t) ? t : fallback;
}

/** The campaign an email belonged to, from the tags Broadside puts on every campaign email. */
export function campaignTag(e: ResendEvent): number | null {
  const tags = e.data.tags;
  if (!tags || tags.test === 'true') return null;
  const id = Number(tags.campaign);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/**
 * The delivery an email was, from the tag campaign emails carry since drizzle 0017
 * (src/sending/campaign-messages.ts); null for emails sent without it.
 */
export function deliveryTag(e: ResendEvent): number | null {
  const id = Number(e.data.tags?.delivery ?? Number.NaN);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
