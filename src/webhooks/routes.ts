import { Hono } from 'hono';
import type { Deps } from '../deps';
import { limitBody } from '../http/body-limit';
import { AppError } from '../errors';
import { applyEvent, type ApplyOutcome } from './apply-event';
import { anyEvent, knownEventTypes, resendEvent } from './events';
import { applyPendingEvents } from './pending';
import { claimReceipt, releaseReceipt } from './receipts';
import { SvixVerifier } from './verify-signature';

/** Resend's events are a few kilobytes; anything near this is not one. */
const MAX_BODY = 256 * 1024;

function parseJson(body: Uint8Array): { ok: true; json: unknown } | { ok: false } {
  try {
    return { ok: true, json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) };
  } catch {
    return { ok: false };
  }
}

/**
 * POST /webhooks/resend. In order: the signature over the raw body (read once, as bytes), the
 * JSON, the event's shape, then the Svix id (a repeat is acknowledged and ignored), then the
 * event itself: a few indexed statements, so Svix's 15-second limit is never near. Any failure
 * while applying gives the id back and answers 500, so Svix's retry applies the event again.
 * Unknown event types (contacts, domains, inbound mail) are acknowledged and ignored, and so is a
 * signed event that cannot be applied for a reason a retry would not change (not JSON, no type,
 * no message id or bounce type): a 4xx would only make Svix retry it for days and then disable
 * the endpoint, stopping every later bounce. It is logged for the operator instead.
 */
export function webhookRoutes(deps: Deps) {
  const app = new Hono();
  const secret = deps.config.resendWebhookSecret;
  const verifier = secret ? new SvixVerifier(secret) : null;

  app.post('/webhooks/resend', limitBody(MAX_BODY, 'A webhook body is at most 256 KB.'), async (c) => {
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

    const decoded = parseJson(body);
    const head = decoded.ok ? anyEvent.safeParse(decoded.json) : undefined;
    if (!head?.success) {
      deps.logger.error('signed webhook acknowledged but not applied: not a Resend event', { svixId: verdict.id, json: decoded.ok });
      return c.json({ ok: true, ignored: 'not an event' });
    }
    if (!knownEventTypes.has(head.data.type)) {
      deps.logger.info('webhook of a type Broadside does not use acknowledged', { svixId: verdict.id, type: head.data.type });
      return c.json({ ok: true, ignored: head.data.type });
    }
    const parsed = resendEvent.safeParse(decoded.ok ? decoded.json : undefined);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
      deps.logger.error('signed webhook acknowledged but not applied: what it rests on is missing', { svixId: verdict.id, type: head.data.type, issues });
      return c.json({ ok: true, ignored: 'malformed', issues });
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
