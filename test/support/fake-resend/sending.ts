/**
 * POST /emails and POST /emails/batch: faults, auth, rate limit, validation and idempotency, in
 * the order a client meets them, then the emails are recorded as sent.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiError, statusError } from './errors';
import { fingerprint } from './idempotency';
import { parseJsonBody } from './json-body';
import { answer, refuse, type FakeState, type Reply } from './state';
import type { RecordedRequest, SentEmail } from './types';
import { checkBatch, checkEmail, checkIdempotencyKey, type ParsedEmail } from './validation';

export interface SendRequest {
  path: '/emails' | '/emails/batch';
  headers: Record<string, string | string[] | undefined>;
  /** The body's bytes as received (the idempotency fingerprint hashes these, not a string re-encoded). */
  raw: Buffer;
  record: RecordedRequest;
}

const header = (req: SendRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Checks the bearer token: 401 without one, 403 with a wrong one, as Resend answers. */
export function checkAuth(state: FakeState, authorization: string | undefined): Reply | undefined {
  if (!authorization?.startsWith('Bearer ') || authorization.length === 'Bearer '.length) {
    return refuse(apiError(401, 'missing_api_key', 'Missing API key in the authorization header.'));
  }
  if (authorization.slice('Bearer '.length) !== state.apiKey) {
    return refuse(apiError(403, 'invalid_api_key', 'API key is invalid.'));
  }
  return undefined;
}

export async function handleSend(state: FakeState, req: SendRequest): Promise<Reply> {
  const fault = state.faults.next();
  if (fault?.kind === 'disconnect' && fault.when === 'before') return { kind: 'drop', outcome: 'disconnect' };
  if (fault?.kind === 'status') {
    const headers: Record<string, string> = { ...state.limit.peek() };
    if (fault.retryAfter !== undefined) {
      headers['retry-after'] = String(fault.retryAfter);
      if (fault.status === 429) Object.assign(headers, { 'ratelimit-remaining': '0', 'ratelimit-reset': String(fault.retryAfter) });
    }
    return { ...refuse(statusError(fault.status), headers), outcome: `fault_${fault.status}` };
  }

  const denied = checkAuth(state, header(req, 'authorization'));
  if (denied) return denied;
  const rate = state.limit.take();
  if (!rate.allowed) return refuse(statusError(429), rate.headers);
  const headers = rate.headers;

  const key = header(req, 'idempotency-key');
  const badKey = checkIdempotencyKey(key);
  if (badKey) return refuse(badKey, headers);

  const json = parseJsonBody(req.raw, !state.keepBodies);
  if (!json.ok) return refuse(apiError(422, 'validation_error', 'The request body is not valid JSON.'), headers);
  const body = json.value;
  const batch = req.path === '/emails/batch';
  const mode = header(req, 'x-batch-validation') === 'permissive' ? 'permissive' : 'strict';
  const checked = batch ? checkBatch(body, mode) : checkEmail(body, false);
  if (!checked.ok) return refuse(checked.error, headers);
  const parsed = 'emails' in checked.value ? checked.value : { emails: [checked.value], errors: [] };
  req.record.emailCount = parsed.emails.length;

  if (key !== undefined) {
    const claim = state.keys.claim(key, fingerprint(req.path, req.raw));
    if (claim.kind === 'refused') return refuse(claim.error, headers);
    if (claim.kind === 'replay') return answer(claim.response.status, claim.response.body, 'replayed', headers);
  }
  // A slow request holds its key in flight, so a client that gives up and retries meets 409.
  if (fault?.kind === 'delay') await sleep(fault.ms);
  // Held until the client's retry has met that 409: the concurrent case on any machine's speed.
  if (fault?.kind === 'hold') {
    const retried = () => state.requests.some((r) => r.idempotencyKey === key && r.outcome === 'concurrent_idempotent_requests');
    for (let waited = 0; !retried() && waited < 30_000; waited += 5) await sleep(5);
  }

  const sent = accept(state, parsed.emails, req.record, key, batch);
  const responseBody = batch
    ? { data: sent.map((e) => ({ id: e.id })), ...(mode === 'permissive' ? { errors: parsed.errors } : {}) }
    : { id: sent[0]!.id };
  if (key !== undefined) state.keys.complete(key, { status: 200, body: responseBody });
  if (fault?.kind === 'disconnect') return { kind: 'drop', outcome: 'accepted_then_disconnect' };
  return answer(200, responseBody, 'accepted', headers);
}

function accept(state: FakeState, emails: ParsedEmail[], record: RecordedRequest, key: string | undefined, batch: boolean): SentEmail[] {
  const batchId = batch ? `batch_${++state.batches}` : undefined;
  const createdAt = state.now();
  return emails.map((email, index) => {
    // Field by field, not `{ ...email }`: Node 20's object spread cost ~80 µs an email here, a
    // tenth of this server's CPU per batch (BENCHMARKS.md, issue 14).
    const sent: SentEmail = {
      from: email.from,
      to: email.to,
      cc: email.cc,
      bcc: email.bcc,
      replyTo: email.replyTo,
      subject: email.subject,
      html: state.keepBodies ? email.html : undefined,
      text: state.keepBodies ? email.text : undefined,
      headers: email.headers,
      tags: email.tags,
      scheduledAt: email.scheduledAt,
      id: randomUUID(),
      idempotencyKey: key,
      batchId,
      batchIndex: batch ? index : undefined,
      requestId: record.id,
      createdAt,
    };
    state.acceptedCount++;
    for (const to of email.to) state.recipients.add(to);
    if (state.keepEmails) {
      state.emails.push(sent);
      state.emailsById.set(sent.id, sent);
    }
    return sent;
  });
}
