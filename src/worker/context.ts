import type { Queue } from '@cloudflare/workers-types/index.ts';
import type { Hono } from 'hono';
import { createApp } from '../app';
import { createDeferred } from '../deferred';
import type { Database } from '../db/database';
import { openD1 } from '../db/d1';
import { openLibsqlWeb } from '../db/libsql-web';
import { consoleLogger, createDeps, type Deps } from '../deps';
import { cloudflareClientIp } from '../http/client-ip';
import type { CampaignMessages } from '../sending/campaign-messages';
import type { ChunkJob } from '../sending/queue-chunks';
import { queueJobRunner } from '../sending/queue-jobs';
import { workerConfig, type WorkerEnv } from './env';

/** Everything an isolate builds once and every handler (fetch, scheduled, queue) shares. */
export interface WorkerContext {
  deps: Deps;
  app: Hono;
  queue: Queue<ChunkJob>;
  /** Campaign renders for the queue consumer, kept between invocations. */
  renders: Map<number, CampaignMessages>;
  /** Resolves when the work handed to deps.defer so far has finished: for ctx.waitUntil. */
  drain(): Promise<void>;
}

const contexts = new WeakMap<WorkerEnv, Promise<WorkerContext>>();

/**
 * The isolate's context, built on first use from its env and kept: the database handle, the
 * mailer and its rate limiter, and the app are made once per isolate, not per request. A failed
 * build is not kept, so a fixed binding takes effect without a redeploy.
 */
export function workerContext(env: WorkerEnv): Promise<WorkerContext> {
  let context = contexts.get(env);
  if (!context) {
    context = Promise.resolve().then(() => buildContext(env));
    contexts.set(env, context);
    context.catch(() => contexts.delete(env));
  }
  return context;
}

function openDatabase(env: WorkerEnv, config: Deps['config']): Database {
  // workerConfig has made sure one of the two is there.
  if (typeof env.DATABASE_URL === 'string' && env.DATABASE_URL) return openLibsqlWeb(config.databaseUrl, config.databaseAuthToken);
  return openD1(env.DB!);
}

function buildContext(env: WorkerEnv): WorkerContext {
  const config = workerConfig(env);
  const logger = consoleLogger;
  const db = openDatabase(env, config);
  const queue = env.SEND_QUEUE!;
  // Work deferred by a request (a confirmation email) must outlive its response: each handler
  // hands drain() to ctx.waitUntil. An isolate serves requests concurrently, so drain() may also
  // wait for another request's work, which only keeps the isolate a little longer.
  const deferred = createDeferred(logger);
  const deps = createDeps({
    config,
    db,
    secrets: { secret: config.secret!, adminToken: config.adminToken! },
    logger,
    defer: deferred.defer,
    clientIp: cloudflareClientIp,
    jobs: queueJobRunner(queue, db, logger),
  });
  return { deps, app: createApp(deps), queue, renders: new Map(), drain: deferred.settle };
}
