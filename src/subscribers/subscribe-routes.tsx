import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import * as z from 'zod';
import type { Deps } from '../deps';
import { limitBody } from '../http/body-limit';
import { AppError } from '../errors';
import { singleLine } from '../http/fields';
import { parseOr400, readBody } from '../http/read-body';
import { MessagePage } from '../pages/message-page';
import { rateLimitInBatch, rateLimitKey } from '../rate-limit';
import { emailField } from './email-field';
import { requestSubscription, requestSubscriptionWithin } from './subscribe';
import { topicsField } from './topics';
import { checkTurnstile, TURNSTILE_FIELD } from './turnstile';

const HOUR_MS = 3600 * 1000;
// Form posts send each field as a string (or an array for repeated fields); JSON may send more
// types. Fields this form does not know are ignored, as browsers and plugins add their own.
const subscribeSchema = z.object({
  email: emailField,
  name: singleLine('name', 100).optional(),
  topics: topicsField.optional(),
  source: z
    .string()
    .max(2000, 'source is too long')
    .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), 'source must be the http(s) URL of the article')
    .optional(),
  // Honeypot: hidden from people, filled in by bots.
  website: z.string().max(2000).optional(),
  consent: singleLine('consent', 50).optional(),
});

function checkedSource(referer: string | undefined): string | undefined {
  if (!referer || referer.length > 2000 || !URL.canParse(referer)) return undefined;
  return /^https?:/i.test(referer) ? referer : undefined;
}

/** POST /subscribe: the footer form's target. Never says whether an address was known. */
export function subscribeRoutes(deps: Deps) {
  const app = new Hono();
  app.use(
    '/subscribe',
    cors({
      origin: (origin) => (deps.config.allowedOrigins.includes('*') || deps.config.allowedOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST'],
      allowHeaders: ['Content-Type'],
      maxAge: 86400,
    }),
    limitBody(16 * 1024, 'The sign-up form is too large.'),
  );

  app.post('/subscribe', async (c) => {
    const { kind, data } = await readBody(c, { arrays: ['topics'] });
    const input = parseOr400(subscribeSchema, data);
    if (input.topics && input.topics.length === 0) throw new AppError('bad_request', 'Choose at least one topic.', { field: 'topics' });
    const ip = deps.clientIp(c);

    const limit = rateLimitInBatch(
      deps.db,
      {
        key: await rateLimitKey(deps.signer, 'subscribe-ip', ip ?? 'unknown'),
        limit: deps.config.subscribeIpLimit,
        windowMs: HOUR_MS,
        now: deps.now(),
      },
      'ipLimit',
    );
    const tooMany = () => {
      c.header('Retry-After', String(Math.ceil((limit.resetAt - deps.now()) / 1000)));
      return new AppError('too_many_requests', 'Too many sign-ups from your network. Please try again later.');
    };
    const request = {
      email: input.email,
      name: input.name || undefined,
      topics: input.topics,
      source: input.source ?? checkedSource(c.req.header('referer')),
      ip,
      userAgent: c.req.header('user-agent'),
      consentWording: input.consent,
    };

    if (!deps.config.turnstile && !input.website) {
      // The usual sign-up: the IP's count, the address's lookup and a new reader with their
      // confirmation in one batch (one D1 round trip), written only within the IP's limit.
      if (!(await requestSubscriptionWithin(deps, request, limit))) throw tooMany();
    } else {
      // The IP's count commits whatever the answer; the Turnstile check waits on the network,
      // so the reader is looked up after it (requestSubscription), never acted on as it was
      // before, when they may have changed or been erased meanwhile.
      const [hit] = (await deps.db.batch([limit.hit])) as [{ count: number }[]];
      if (!limit.allowed(hit)) throw tooMany();
      await checkTurnstile(deps.config, deps.fetch, data[TURNSTILE_FIELD], ip);
      // A filled honeypot gets the same answer as a person, so a bot learns nothing.
      if (!input.website) await requestSubscription(deps, request);
    }
    return kind === 'json' ? c.json({ ok: true }, 202) : checkInboxPage(c, deps, input.source ?? checkedSource(c.req.header('referer')));
  });
  return app;
}

/**
 * Where the "check your inbox" page may send the reader back to: the article they came from when
 * it is on the publication's own site (SITE_URL's origin or an ALLOWED_ORIGINS one), else the site
 * itself. `source` is whatever a form posted, so trusting it would make Broadside's own page, on
 * Broadside's origin, link anywhere a crafted form liked (phishing with our name on it). '*' in
 * ALLOWED_ORIGINS is about CORS, not about links, and allows no extra origin here.
 */
export function backLink(config: Pick<Deps['config'], 'siteUrl' | 'allowedOrigins'>, source: string | undefined): { href: string; label: string } {
  const site = { href: config.siteUrl, label: 'Back to the site' };
  if (!source || !URL.canParse(source)) return site;
  const { origin } = new URL(source);
  const trusted = [new URL(config.siteUrl).origin, ...config.allowedOrigins.filter((o) => o !== '*')];
  return trusted.includes(origin) ? { href: source, label: 'Back to the article' } : site;
}

function checkInboxPage(c: Context, deps: Deps, source: string | undefined) {
  const back = backLink(deps.config, source);
  return c.html(
    <MessagePage siteName={deps.config.siteName} siteUrl={deps.config.siteUrl} title="Check your inbox">
      <p>
        We sent you an email with a link to confirm your subscription. It may take a minute to arrive; if you
        don’t see it, look in your spam folder.
      </p>
      <p>
        <a href={back.href}>{back.label}</a>
      </p>
    </MessagePage>,
    200,
  );
}
