import * as z from 'zod';

/**
 * Broadside's configuration, parsed once by an entry file (src/node/main.ts, src/worker.ts) and handed
 * to everything else. A bad value stops start-up with a message naming the variable.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const emailAddress = z.string().min(3).refine((v) => !/[\r\n]/.test(v), 'must be one line');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  /** Interface to listen on (Node). 0.0.0.0 to accept connections from other machines. */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).default('file:./data/broadside.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  PUBLIC_URL: url.optional(),
  SITE_NAME: z.string().min(1).max(100).default('Broadside Demo'),
  SITE_URL: url.optional(),
  SITE_ADDRESS: z.string().max(300).optional(),
  PRIVACY_URL: url.optional(),
  FEED_URL: url.optional(),
  ALLOWED_ORIGINS: z.string().optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: url.optional(),
  RESEND_WEBHOOK_SECRET: z
    .string()
    .startsWith('whsec_', 'must start with whsec_')
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by the base64 secret Resend shows')
    .optional(),
  MAIL_FROM: emailAddress.default('Broadside <newsletter@localhost>'),
  MAIL_REPLY_TO: emailAddress.optional(),
  UNSUBSCRIBE_MAILTO: z.email().optional(),
  SEND_RATE: z.coerce.number().positive().max(1000).default(2),
  DIGEST_SCHEDULE: z
    .string()
    .regex(/^\S+(\s+\S+){4}$/, 'must be a five-field cron expression')
    .default('0 7 * * 1'),
  DIGEST_MODE: z.enum(['draft', 'auto']).default('draft'),
  APPEAL_MIN_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  TRACK_CLICKS: bool.default(true),
  TRACK_OPENS: bool.default(false),
  /**
   * Complaints as a percentage of delivered above which appeals are held (DESIGN: 0.3%, or a
   * lower configured value). "0.1" and "0.1%" both mean 0.1 percent.
   */
  COMPLAINT_THRESHOLD: z
    .string()
    .regex(/^\d*\.?\d+%?$/, 'must be a percentage such as 0.3')
    .transform((v) => Number(v.replace('%', '')))
    .refine((v) => v > 0 && v <= 0.3, 'must be above 0 and at most 0.3 (percent of delivered)')
    .default(0.3),
  /** Cloudflare Turnstile on the sign-up form: both keys, or neither. */
  TURNSTILE_SECRET: z.string().min(1).optional(),
  TURNSTILE_SITE_KEY: z.string().min(1).optional(),
  /** Where Turnstile tokens are checked (tests point it at a local server). */
  TURNSTILE_VERIFY_URL: url.default('https://challenges.cloudflare.com/turnstile/v0/siteverify'),
  /** The IANA zone the desk shows and schedules in, e.g. Europe/Berlin. */
  SITE_TIMEZONE: z
    .string()
    .refine((v) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Berlin or America/New_York')
    .default('UTC'),
  /** sign-up attempts allowed per client IP per hour */
  SUBSCRIBE_IP_LIMIT: z.coerce.number().int().positive().default(30),
  /** confirmation emails per address per day */
  CONFIRM_EMAIL_LIMIT: z.coerce.number().int().positive().default(3),
  /**
   * How long a sender holds a transactional email before another sender presumes it dead and
   * tries again (the Idempotency-Key keeps that from mailing twice). Longer than the mailer's
   * retries of one email; tests of a crashed sender shorten it.
   */
  MAIL_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(180_000),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken?: string;
  publicUrl: string;
  siteName: string;
  siteUrl: string;
  siteAddress?: string;
  privacyUrl?: string;
  feedUrl?: string;
  allowedOrigins: string[];
  adminToken?: string;
  secret?: string;
  resendApiKey?: string;
  resendBaseUrl?: string;
  resendWebhookSecret?: string;
  mailFrom: string;
  mailReplyTo?: string;
  unsubscribeMailto?: string;
  sendRate: number;
  digestSchedule: string;
  digestMode: 'draft' | 'auto';
  appealMinDays: number;
  trackClicks: boolean;
  trackOpens: boolean;
  /** Complaint rate (a fraction: 0.003 is 0.3%) above which appeals are held. */
  complaintThreshold: number;
  turnstile?: { secret: string; siteKey: string; verifyUrl: string };
  subscribeIpLimit: number;
  confirmEmailLimit: number;
  mailLeaseMs: number;
  /** IANA zone of the desk's dates and schedules. */
  siteTimezone: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** Parses environment variables (empty strings count as unset). Throws ConfigError naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  if (e.RESEND_API_KEY && /@localhost>?$/i.test(e.MAIL_FROM)) {
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM: set it to an address at your domain verified with Resend (e.g. "Your Site <newsletter@yoursite.org>"); Resend refuses @localhost',
    );
  }
  if (!e.TURNSTILE_SECRET !== !e.TURNSTILE_SITE_KEY) {
    throw new ConfigError(
      `Invalid configuration:\n  ${e.TURNSTILE_SECRET ? 'TURNSTILE_SITE_KEY' : 'TURNSTILE_SECRET'}: Turnstile needs both TURNSTILE_SITE_KEY (shown in the form) and TURNSTILE_SECRET`,
    );
  }
  const publicUrl = trimSlash(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  const siteUrl = trimSlash(e.SITE_URL ?? publicUrl);
  const allowedOrigins = (e.ALLOWED_ORIGINS ?? siteUrl)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      if (o === '*') return o;
      try {
        return new URL(o).origin;
      } catch {
        throw new ConfigError(`Invalid configuration:\n  ALLOWED_ORIGINS: "${o}" is not an origin`);
      }
    });
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    publicUrl,
    siteName: e.SITE_NAME,
    siteUrl,
    siteAddress: e.SITE_ADDRESS,
    privacyUrl: e.PRIVACY_URL,
    feedUrl: e.FEED_URL,
    allowedOrigins,
    adminToken: e.ADMIN_TOKEN,
    secret: e.SECRET,
    resendApiKey: e.RESEND_API_KEY,
    resendBaseUrl: e.RESEND_BASE_URL ? trimSlash(e.RESEND_BASE_URL) : undefined,
    resendWebhookSecret: e.RESEND_WEBHOOK_SECRET,
    mailFrom: e.MAIL_FROM,
    mailReplyTo: e.MAIL_REPLY_TO,
    unsubscribeMailto: e.UNSUBSCRIBE_MAILTO,
    sendRate: e.SEND_RATE,
    digestSchedule: e.DIGEST_SCHEDULE,
    digestMode: e.DIGEST_MODE,
    appealMinDays: e.APPEAL_MIN_DAYS,
    trackClicks: e.TRACK_CLICKS,
    trackOpens: e.TRACK_OPENS,
    complaintThreshold: e.COMPLAINT_THRESHOLD / 100,
    turnstile:
      e.TURNSTILE_SECRET && e.TURNSTILE_SITE_KEY
        ? { secret: e.TURNSTILE_SECRET, siteKey: e.TURNSTILE_SITE_KEY, verifyUrl: e.TURNSTILE_VERIFY_URL }
        : undefined,
    subscribeIpLimit: e.SUBSCRIBE_IP_LIMIT,
    confirmEmailLimit: e.CONFIRM_EMAIL_LIMIT,
    mailLeaseMs: e.MAIL_LEASE_MS,
    siteTimezone: e.SITE_TIMEZONE,
  };
}
