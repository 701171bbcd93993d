/**
 * A local Resend-compatible HTTP server for tests and benchmarks, driven through the real
 * `resend` SDK (`new Resend(fake.apiKey, { baseUrl: fake.url })`). It listens on 127.0.0.1 only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError } from './errors';
import { FaultQueue } from './faults';
import { IdempotencyStore } from './idempotency';
import { SlidingWindowLimit } from './rate-limit';
import { checkAuth, handleSend } from './sending';
import { answer, refuse, type FakeState, type Reply } from './state';
import type { FakeResend, FakeResendOptions, RecordedRequest, SentEmail } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Resend refuses bodies over 40 MB; the fake stops reading there too. */
const MAX_BODY = 40 * 1024 * 1024;

export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  const now = options.now ?? Date.now;
  const state: FakeState = {
    apiKey: options.apiKey ?? 're_test_key',
    keepBodies: options.keepBodies ?? true,
    keepEmails: options.keepEmails ?? true,
    keepRaw: options.keepRaw ?? false,
    now,
    limit: new SlidingWindowLimit(options.rate ?? 2, now),
    faults: new FaultQueue(now),
    keys: new IdempotencyStore(options.idempotencyTtlMs ?? DAY_MS, now),
    emails: [],
    emailsById: new Map(),
    recipients: new Set(),
    acceptedCount: 0,
    requests: [],
    batches: 0,
    domains: options.domains ?? [{ name: 'news.example.org', status: 'verified', region: 'eu-west-1' }],
  };

  const server = createServer((req, res) => {
    void serve(state, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: state.apiKey,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    emails: () => state.emails.map((e) => structuredClone(e)),
    requests: () => state.requests.map((r) => ({ ...r })),
    accepted: () => ({ emails: state.acceptedCount, recipients: state.recipients.size }),
    inject: (fault) => state.faults.inject(fault),
    clearFaults: () => state.faults.clear(),
    setRate: (rate) => state.limit.setRate(rate),
    setDomains(domains) {
      state.domains = domains.map((d) => ({ ...d }));
    },
    reset() {
      state.emails = [];
      state.emailsById.clear();
      state.recipients.clear();
      state.acceptedCount = 0;
      state.requests = [];
      state.batches = 0;
      state.keys.clear();
      state.faults.clear();
      state.limit.clear();
    },
  };
}

async function serve(state: FakeState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
  const key = req.headers['idempotency-key'];
  const record: RecordedRequest = {
    id: state.requests.length + 1,
    method: req.method ?? 'GET',
    path,
    at: state.now(),
    idempotencyKey: typeof key === 'string' ? key : undefined,
  };
  state.requests.push(record);

  let reply: Reply;
  let bytes: Buffer | undefined;
  try {
    bytes = await readBody(req);
    if (state.keepRaw && bytes) record.raw = { headers: { ...req.headers }, body: Buffer.from(bytes) };
    reply = bytes === undefined ? refuse(apiError(422, 'validation_error', 'The request body is too large.')) : await route(state, req, path, bytes, record);
  } catch (err) {
    reply = refuse(apiError(500, 'internal_server_error', `fake-resend: ${String(err)}`));
  } finally {
    // Nothing holds the body's bytes once the request is handled (the parsed JSON is strings of
    // its own, and keepRaw keeps a copy).
    if (bytes) spareBodies.release(bytes);
  }

  record.outcome = reply.outcome;
  if (reply.kind === 'drop') {
    req.socket.destroy();
    return;
  }
  record.status = reply.status;
  if (res.destroyed) return;
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

async function route(state: FakeState, req: IncomingMessage, path: string, raw: Buffer, record: RecordedRequest): Promise<Reply> {
  if (path === '/emails' || path === '/emails/batch') {
    if (req.method !== 'POST') return refuse(apiError(405, 'method_not_allowed', 'Method not allowed.'));
    return handleSend(state, { path, headers: req.headers, raw, record });
  }
  if (path === '/domains' && req.method === 'GET') return listDomains(state, req);
  const match = /^\/emails\/([^/]+)$/.exec(path);
  if (match && req.method === 'GET') return getEmail(state, req, decodeURIComponent(match[1]!));
  return refuse(apiError(404, 'not_found', 'The requested endpoint does not exist.'));
}

/** GET /emails/:id, in the shape of the OpenAPI `Email` schema. */
function getEmail(state: FakeState, req: IncomingMessage, id: string): Reply {
  const denied = checkAuth(state, req.headers.authorization);
  if (denied) return denied;
  const rate = state.limit.take();
  if (!rate.allowed) return refuse(apiError(429, 'rate_limit_exceeded', 'Too many requests.'), rate.headers);
  const email = state.emailsById.get(id);
  if (!email) return refuse(apiError(404, 'not_found', 'Email not found.'), rate.headers);
  return answer(200, toApiEmail(email), 'found', rate.headers);
}

/** GET /domains, in the shape of the OpenAPI `ListDomainsResponse`. */
function listDomains(state: FakeState, req: IncomingMessage): Reply {
  const denied = checkAuth(state, req.headers.authorization);
  if (denied) return denied;
  const rate = state.limit.take();
  if (!rate.allowed) return refuse(apiError(429, 'rate_limit_exceeded', 'Too many requests.'), rate.headers);
  const data = state.domains.map((d, i) => ({
    id: `d0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    name: d.name,
    status: d.status,
    created_at: '2026-01-05 10:00:00.000000+00',
    region: d.region ?? 'us-east-1',
    capabilities: { sending: 'enabled', receiving: 'disabled' },
  }));
  return answer(200, { object: 'list', has_more: false, data }, 'listed', rate.headers);
}

function toApiEmail(email: SentEmail) {
  return {
    object: 'email',
    id: email.id,
    to: email.to,
    from: email.from,
    created_at: new Date(email.createdAt).toISOString(),
    subject: email.subject,
    html: email.html ?? null,
    text: email.text ?? null,
    bcc: email.bcc,
    cc: email.cc,
    reply_to: email.replyTo,
    last_event: email.scheduledAt ? 'scheduled' : 'sent',
    tags: email.tags,
  };
}

/**
 * Buffers for request bodies, reused: a benchmark posts 50 batches of 2 MB a second, and a new
 * 2 MB buffer for each made V8 collect its whole heap every few requests (memory outside the
 * heap counts towards its collections).
 */
const spareBodies = {
  spare: [] as Buffer[],
  take(size: number): Buffer {
    const i = this.spare.findIndex((b) => b.buffer.byteLength >= size);
    if (i === -1) return Buffer.allocUnsafeSlow(Math.max(size, 64 * 1024)).subarray(0, size);
    const [b] = this.spare.splice(i, 1);
    return Buffer.from(b!.buffer, 0, size);
  },
  release(b: Buffer): void {
    // Only whole buffers of our own (never a slice of Node's shared pool), a few at a time.
    if (b.byteOffset === 0 && b.buffer.byteLength >= 64 * 1024 && this.spare.length < 8) this.spare.push(b);
  },
};

/**
 * The body's bytes, or undefined past MAX_BODY. With a Content-Length (every SDK request has
 * one) the chunks are copied straight into one buffer of that size as they arrive, rather than
 * kept and concatenated: one copy of a 2 MB batch, not two.
 */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isSafeInteger(declared) && declared >= 0 && declared <= MAX_BODY) {
    const body = spareBodies.take(declared);
    let at = 0;
    for await (const chunk of req) {
      // Node's HTTP parser never passes more than Content-Length; checked all the same.
      if (at + (chunk as Buffer).length > declared) return undefined;
      (chunk as Buffer).copy(body, at);
      at += (chunk as Buffer).length;
    }
    return at === declared ? body : body.subarray(0, at);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
