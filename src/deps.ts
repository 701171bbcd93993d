import type { Config } from './config';
import type { ClientIp } from './http/client-ip';
import type { Database } from './db/database';
import type { ImportReader } from './subscribers/import/checked-rows';
import { createMailer } from './mailer/create-mailer';
import type { Mailer } from './mailer/mailer';
import { TokenSigner } from './tokens';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Secrets after start-up: taken from configuration, or generated once and kept in the database. */
export interface Secrets {
  /** HMAC key for reader links (confirm, unsubscribe, preferences…) and admin sessions. */
  secret: string;
  adminToken: string;
}

/**
 * The job runner edge: where send work goes once a send's ledger is written. Workers put one
 * job per chunk on a Cloudflare Queue; Node needs nothing here, because its send loop polls the
 * ledger for due chunks.
 */
export interface JobRunner {
  /**
   * The campaign's unsent chunks are ready to go: after a send starts, or a paused one resumes.
   * Never throws: the ledger is already written, and a job lost here is found again by the
   * runner's own sweep.
   */
  chunksReady(campaignId: number): Promise<void>;
}

/**
 * What createApp(deps) is built from. Entry files (src/node/deps.ts, src/worker/context.ts) make
 * these once per process or isolate, with createDeps; no module reads the environment or opens a
 * connection by itself.
 */
export interface Deps {
  config: Config;
  db: Database;
  mailer: Mailer;
  secrets: Secrets;
  /** Signs and checks reader links; built once from secrets.secret. */
  signer: TokenSigner;
  logger: Logger;
  /** Current time in ms; tests may pass a fake clock. */
  now: () => number;
  /**
   * Runs work after the response is sent (Workers: ctx.waitUntil; Node: a tracked promise).
   * The work must handle its own errors.
   */
  defer: (work: Promise<unknown>) => void;
  /** Outbound HTTP to other services (the site's feed, Turnstile): globalThis.fetch in production. */
  fetch: typeof fetch;
  /** The requesting client's IP address, as the runtime knows it. */
  clientIp: ClientIp;
  /** Absent on Node (its send loop polls the ledger); the Cloudflare Queue producer on Workers. */
  jobs?: JobRunner;
  /**
   * Reads and checks a CSV import's rows. On Node a worker thread (src/node/import-thread.ts),
   * so that reading overlaps writing; absent on Workers, where the import reads in its own thread.
   */
  importReader?: ImportReader;
  /**
   * Rows a CSV import writes per transaction: IMPORT_BATCH_ROWS when absent (D1's statement
   * limits); larger on Node's local libSQL, where each commit costs (src/node/deps.ts).
   */
  importBatchRows?: number;
}

/** What only the runtime knows; createDeps builds the rest the same way everywhere. */
export interface RuntimeParts {
  config: Config;
  db: Database;
  secrets: Secrets;
  logger: Logger;
  defer: Deps['defer'];
  clientIp: ClientIp;
  jobs?: JobRunner;
  importReader?: ImportReader;
  importBatchRows?: number;
  /** Default: Resend with RESEND_API_KEY, the outbox without (src/mailer/create-mailer.ts). */
  mailer?: (parts: { config: Config; db: Database; logger: Logger }) => Mailer;
  /** Default Date.now; tests pass a clock they move. */
  now?: () => number;
}

/**
 * The one place Deps is assembled, for the Node entry, the Worker and the test app: a new
 * dependency is added here and every runtime gets it.
 */
export function createDeps(parts: RuntimeParts): Deps {
  const { config, db, logger } = parts;
  return {
    config,
    db,
    mailer: parts.mailer ? parts.mailer({ config, db, logger }) : createMailer(config, db, logger),
    secrets: parts.secrets,
    signer: new TokenSigner(parts.secrets.secret),
    logger,
    now: parts.now ?? Date.now,
    defer: parts.defer,
    // Looked up on each call, so a test (or a runtime) that replaces globalThis.fetch is honoured.
    fetch: (input, init) => fetch(input, init),
    clientIp: parts.clientIp,
    jobs: parts.jobs,
    importReader: parts.importReader,
    importBatchRows: parts.importBatchRows,
  };
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};
