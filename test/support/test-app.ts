import { openLibsql } from '../../src/db/libsql';
import { createApp } from '../../src/app';
import { parseConfig, type Config } from '../../src/config';
import { createDeps, type Deps, type Logger } from '../../src/deps';
import type { ClientIp } from '../../src/http/client-ip';
import type { Mailer } from '../../src/mailer/mailer';
import { OutboxMailer } from '../../src/mailer/outbox-mailer';
import { listOutbox } from '../../src/mailer/outbox-queries';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** Logs into an array so a test can look, and so expected errors don't clutter the output. */
export function memoryLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
  return { logger, lines };
}

export interface TestAppOptions {
  env?: Record<string, string>;
  mailer?: (deps: { db: Deps['db']; config: Config }) => Mailer;
  /** How the app learns the client IP (default: the x-test-ip header). */
  clientIp?: ClientIp;
  /** Fixed start time; the clock only moves when the test moves it. */
  now?: number;
  /** Use the real clock (for tests that run the send loop with its timers). */
  realClock?: boolean;
  /** A database file instead of memory (the benchmarks keep a seeded 1,000,000-reader desk). */
  databaseFile?: string;
  /** How a CSV import reads its rows (default: in the request's thread, as on Workers). */
  importReader?: Deps['importReader'];
  /** Rows an import writes per transaction (default: IMPORT_BATCH_ROWS, as on Workers). */
  importBatchRows?: number;
}

/**
 * A real app on a real libSQL database (in memory, built from drizzle/ migrations), with the
 * outbox mailer unless a test brings another. Each call is a fresh, empty world.
 */
export async function createTestApp(options: TestAppOptions = {}) {
  const config = parseConfig({
    PUBLIC_URL: 'http://broadside.test',
    SITE_URL: 'https://news.example.org',
    SITE_NAME: 'The Riverside Ledger',
    MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    SECRET: TEST_SECRET,
    ...options.env,
  });
  const { db, client } = await openLibsql(options.databaseFile ? `file:${options.databaseFile}` : ':memory:');
  const { logger, lines } = memoryLogger();
  let time = options.now ?? Date.UTC(2026, 10, 23, 9, 0, 0);
  const pending: Promise<unknown>[] = [];
  const deps = createDeps({
    config,
    db,
    // The outbox unless a test brings another: never the configuration's choice.
    mailer: options.mailer ?? (() => new OutboxMailer(db)),
    secrets: { secret: config.secret!, adminToken: config.adminToken! },
    logger,
    now: options.realClock ? Date.now : () => time,
    defer: (work) => {
      pending.push(work.catch((err) => logger.error('deferred work failed', { error: String(err) })));
    },
    // Tests say which client they are with a header; real entries read the socket or Cloudflare.
    clientIp: options.clientIp ?? ((c) => c.req.header('x-test-ip') ?? '203.0.113.7'),
    importReader: options.importReader,
    importBatchRows: options.importBatchRows,
  });
  const app = createApp(deps);

  /** Waits for background work (emails) started by earlier requests. */
  const settle = async () => {
    while (pending.length) await Promise.all(pending.splice(0));
  };

  return {
    app,
    deps,
    db,
    /** The raw libSQL client, for checks that look past the API (e.g. erased rows). */
    client,
    config,
    logs: lines,
    settle,
    advance: (ms: number) => {
      time += ms;
    },
    outbox: async () => {
      await settle();
      return listOutbox(db, { limit: 1000, offset: 0 });
    },
    admin: (path: string, init: RequestInit = {}) =>
      app.request(path, {
        ...init,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
      }),
    close: () => client.close(),
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** Pulls the first link to `path` out of an email's HTML or text. */
export function linkIn(body: string, path: string): string {
  const match = new RegExp(`https?://[^\\s"'<>]*${path}/[A-Za-z0-9_.-]+`).exec(body);
  if (!match) throw new Error(`no ${path} link in: ${body.slice(0, 500)}`);
  return match[0];
}

export const pathOf = (url: string) => new URL(url).pathname;
