import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { applyEvent, type ApplyOutcome } from './apply-event';
import { anyEvent, knownEventTypes, resendEvent } from './events';
import { applyPendingEvents } from './pending';
import { claimReceipt, releaseReceipt } from './receipts';
import { SvixVerifier } from './verify-signature';

/** Resend's events are a few kilobytes; anything near this is not one. */
const MAX_BODY = 256 * 1024;

const tooLarge = () => {
  throw new AppError('payload_too_large', 'A webhook body is at most 256 KB.');
};

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new AppError('bad_request', 'The body is not JSON.');
  }
}

/**
 * POST /webhooks/resend. In order: the signature over the raw body (read once, as bytes), the
 * JSON, the event's shape, then the Svix id (a repeat is acknowledged and ignored), then the
 * event itself: a few indexed statements, so Svix's 15-second limit is never near. Any failure
 * while applying gives the id back and answers 500, so Svix's retry applies the event again.
 * Unknown event types (contacts, domains, inbound mail) are acknowledged and ignored.
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono();
  const secret = deps.config.resendWebhookSecret;
  const verifier = secret ? new SvixVerifier(secret) : null;

  app.post('/webhooks/resend', bodyLimit({ maxSize: MAX_BODY, onError: tooLarge }), async (c) => {
    if (!verifier) {
      throw new AppError(
        'unavailable',
        'Resend webhooks are off: set RESEND_WEBHOOK_SECRET to the signing secret Resend shows for this endpoint (whsec_…).',
      );
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const headers = { id: c.req.header('svix-id'), timestamp: c.req.header('svix-timestamp'), signature: c.req.header('svix-signature') };
    const verdict = await verifier.verify(headers, body, deps.now());
    if (!verdict.ok) {
      deps.logger.warn('webhook refused', { reason: verdict.reason, svixId: headers.id });
      throw new AppError(verdict.reason === 'missing_headers' || verdict.reason === 'bad_timestamp' ? 'bad_request' : 'unauthorized', verdict.message);
    }

    const json = parseJson(body);
    const head = anyEvent.safeParse(json);
    if (!head.success) throw new AppError('bad_request', 'The body is not a Resend event: it has no type.');
    if (!knownEventTypes.has(head.data.type)) return c.json({ ok: true, ignored: head.data.type });
    const parsed = resendEvent.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
      deps.logger.warn('webhook payload does not match the Resend event shape', { svixId: verdict.id, type: head.data.type, issues });
      throw new AppError('bad_request', `The ${head.data.type} event does not have the documented shape.`, { issues });
    }

    const now = deps.now();
    if (!(await claimReceipt(deps.db, { svixId: verdict.id, type: parsed.data.type, now }))) {
      return c.json({ ok: true, duplicate: true });
    }
    let outcome: ApplyOutcome;
    try {
      outcome = await applyEvent(deps, parsed.data);
    } catch (err) {
      await releaseReceipt(deps.db, verdict.id).catch((cause) =>
        // Svix's retry of this event will then be taken for a repeat and ignored: say so.
        deps.logger.error('webhook receipt not released', { svixId: verdict.id, error: String(cause) }),
      );
      throw err;
    }
    // After the answer: events that were waiting for this batch's message ids. (Old receipts are
    // pruned by housekeepingJob, src/housekeeping.ts.)
    deps.defer(applyPendingEvents(deps));
    return c.json({ ok: true, outcome });
  });
  return app;
}
