import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReaders } from '../support/factories';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';
import { appeal, createCampaign, drain, startCampaign, WEBHOOK_SECRET } from '../webhooks/support';

/**
 * Every public route against what the internet sends: any method, path segments made of valid,
 * damaged and hostile tokens, odd query strings and headers, and bodies of every content type
 * (JSON, form, multipart that is well-formed, without a boundary, with the wrong one or cut off,
 * invalid UTF-8, raw bytes). Whatever comes in, the answer is never a 5xx and the server stays
 * healthy. A fixed seed, so a failure is the same failure on every run; app.request, no network.
 */
const SEED = 20261201;
const RUNS = 5_000;
let t: TestApp;
let tokens: Record<'confirm' | 'unsubscribe' | 'preferences' | 'click', string>;

beforeAll(async () => {
  t = await createTestApp({ env: { RESEND_WEBHOOK_SECRET: WEBHOOK_SECRET, SUBSCRIBE_IP_LIMIT: '100000' } });
  // Real state for the routes to reach into: a pending and an active reader, a sent campaign.
  await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'fuzz@example.org' }) });
  const [confirmation] = await t.outbox();
  await seedReaders(t.db, 3, { name: 'Ada' });
  const id = await createCampaign(t, appeal);
  await startCampaign(t, id);
  await drain(t);
  const sent = (await t.outbox()).find((m) => m.html.includes('/r/'))!;
  tokens = {
    confirm: pathOf(linkIn(confirmation!.html, '/confirm')).split('/')[2]!,
    unsubscribe: pathOf(linkIn(sent.html, '/unsubscribe')).split('/')[2]!,
    preferences: pathOf(linkIn(sent.html, '/preferences')).split('/')[2]!,
    click: /\/r\/([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]*)/.exec(sent.html)![1]!,
  };
}, 60_000);
afterAll(() => t?.close());

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', '%', '%00', '%ff', '..', '../../etc/passwd', '\u202Eevil', 'a'.repeat(3000), '<script>alert(1)</script>', "' or 1=1 --", '{{name}}', 'null', '-1', '0', '1e309'),
);

/** A path segment: a real token, a damaged one, or anything at all (URL-encoded). */
const segment = (real?: string) =>
  fc.oneof(
    ...(real
      ? [
          fc.constant(real),
          fc.nat({ max: real.length - 1 }).map((i) => real.slice(0, i) + (real[i] === 'A' ? 'B' : 'A') + real.slice(i + 1)),
          fc.constant(real.slice(0, -1)),
          fc.constant(`${real}.`),
        ]
      : []),
    anyText.map(encodeURIComponent),
    fc.constantFrom('1', '999999999999999999999', 'abc.def', '.', '%2e%2e', '%2F', '%ZZ'),
  );

/** Built once the real tokens exist (beforeAll). */
const path = () => fc.oneof(
  // The routes that read a body, often: that is where odd bodies matter.
  { weight: 6, arbitrary: fc.constantFrom('/subscribe', '/webhooks/resend', '/admin/login') },
  { weight: 4, arbitrary: fc.constantFrom('confirm', 'unsubscribe', 'preferences').map((kind) => `/${kind}/${tokens[kind]}`) },
  fc.constantFrom('/', '/healthz', '/subscribe', '/embed.js', '/embed.css', '/embed/form', '/embed/snippet', '/demo/article', '/archive', '/unsubscribe', '/preferences', '/webhooks/resend', '/admin/login', '/o', '/r/'),
  segment().map((s) => `/archive/${s}`),
  fc.constantFrom('confirm', 'unsubscribe', 'preferences').chain((kind) => segment(tokens[kind]).map((s) => `/${kind}/${s}`)),
  segment(tokens.click).map((s) => `/r/${s}`),
  fc.tuple(segment(tokens.click.split('/')[0]), segment(tokens.click.split('/')[1])).map(([l, r]) => `/r/${l}/${r}`),
  segment().map((s) => `/o/${s}`),
  fc.array(segment(), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
);

const query = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.constantFrom('next', 'q', 'format', 'id', 'token', 'limit', 'offset', 'email', '__proto__'), anyText, { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d)}`),
  anyText.map((s) => `?${encodeURIComponent(s)}`),
);

const emailish = fc.oneof(fc.emailAddress(), anyText, fc.constantFrom('Victim@example.org', 'victim+1@example.org', 'a@b', 'x\uFF20example.org', 'x@example.org\r\nBcc: y@example.org'));
const fields = fc.record(
  { email: emailish, name: anyText, topics: fc.oneof(fc.constantFrom('digest', 'appeals', 'sports'), anyText), source: anyText, website: fc.constantFrom('', 'x'), action: fc.constantFrom('save', 'resubscribe', 'unsubscribe', 'x'), token: anyText, 'List-Unsubscribe': fc.constantFrom('One-Click', 'x') },
  { requiredKeys: [] },
);

/** Bodies a real form sends, so the fuzz also walks the paths that succeed. */
const plausible = fc.record(
  { email: fc.emailAddress(), topics: fc.constantFrom('digest', 'appeals'), name: fc.constantFrom('Ada', ''), action: fc.constantFrom('save', 'resubscribe', 'unsubscribe') },
  { requiredKeys: ['email'] },
);
const someFields = fc.oneof(fields, plausible);

const multipart = (f: Record<string, string>, boundary: string) =>
  `${Object.entries(f).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`;

/** [content-type, body]; undefined type sends none. */
const body: fc.Arbitrary<[string | undefined, BodyInit | undefined]> = fc.oneof(
  fc.constant([undefined, undefined] as [undefined, undefined]),
  fc.jsonValue().map((v) => ['application/json', JSON.stringify(v)] as [string, string]),
  someFields.map((f) => ['application/json', JSON.stringify(f)] as [string, string]),
  someFields.map((f) => ['application/x-www-form-urlencoded', new URLSearchParams(f as Record<string, string>).toString()] as [string, string]),
  someFields.map((f) => ['multipart/form-data; boundary=BOUNDARY', multipart(f as Record<string, string>, 'BOUNDARY')] as [string, string]),
  fields.map((f) => ['multipart/form-data', multipart(f as Record<string, string>, 'BOUNDARY')] as [string, string]),
  fields.map((f) => ['multipart/form-data; boundary=OTHER', multipart(f as Record<string, string>, 'BOUNDARY')] as [string, string]),
  fc.tuple(fields, fc.nat()).map(([f, cut]) => {
    const whole = multipart(f as Record<string, string>, 'BOUNDARY');
    return ['multipart/form-data; boundary=BOUNDARY', whole.slice(0, cut % (whole.length + 1))] as [string, string];
  }),
  fc.tuple(fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=B', 'text/plain', 'application/xml', 'text/csv', 'x/y; charset=utf-7', ';;;', 'application/json; charset=latin1'), fc.uint8Array({ maxLength: 300 })).map(
    ([type, bytes]) => [type, new Uint8Array(bytes)] as [string, Uint8Array<ArrayBuffer>],
  ),
  fc.tuple(printable, anyText).map(([type, text]) => [type, text] as [string, string]),
);

const headers = fc.record(
  {
    accept: fc.constantFrom('text/html', 'application/json', '*/*', ''),
    referer: fc.oneof(printable, fc.constantFrom('https://news.example.org/a', 'javascript:alert(1)')),
    origin: fc.oneof(printable, fc.constantFrom('https://news.example.org', 'null', 'https://evil.example')),
    cookie: printable,
    'user-agent': printable,
    'x-test-ip': fc.constantFrom('203.0.113.1', '198.51.100.2', '::1', 'garbage'),
    'svix-id': printable,
    'svix-timestamp': fc.oneof(printable, fc.constant(String(Math.floor(Date.UTC(2026, 10, 23, 9) / 1000)))),
    'svix-signature': fc.oneof(printable, fc.constant('v1,AAAA')),
    // Now and then a length that is a lie (the body limits must answer 413, not read it all).
    'content-length': fc.constantFrom('0', '999999999'),
    authorization: fc.oneof(printable, fc.constant('Bearer nope')),
  },
  { requiredKeys: [] },
).map((h) => (h['content-length'] !== undefined && h.cookie !== undefined && h.cookie.length % 4 === 0 ? h : { ...h, 'content-length': undefined }));

const request = () => fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'POST', 'POST', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: path(),
  query,
  body,
  headers,
});

describe('fuzzing every public route', () => {
  it(`${RUNS} generated requests: never a 5xx, and healthy afterwards`, async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(request(), async (r) => {
        const [type, payload] = r.body;
        const withBody = !['GET', 'HEAD'].includes(r.method) && payload !== undefined;
        const h = Object.fromEntries(Object.entries(r.headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
        if (!withBody) delete h['content-length'];
        if (type !== undefined) h['content-type'] = type;
        const res = await t.app.request(`${r.path}${r.query}`, { method: r.method, headers: h, body: withBody ? payload : undefined });
        await res.arrayBuffer();
        answered++;
        expect(res.status, `${r.method} ${r.path}${r.query} (${type})`).toBeLessThan(500);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    await t.settle();
    expect(answered).toBe(RUNS);
    const health = await t.app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  }, 120_000);
});
