import type { ExecutionContext, MessageBatch, ScheduledController } from '@cloudflare/workers-types/index.ts';
import { ConfigError } from './config';
import { consumeDeadLetters } from './sending/queue-dead-letters';
import { consumeSendJobs } from './sending/queue-consumer';
import { workerContext } from './worker/context';
import type { WorkerEnv } from './worker/env';
import { runScheduled } from './worker/scheduled';

/**
 * The Cloudflare Workers entry: the same createApp(deps) as Node for HTTP, Cron Triggers for the
 * schedules, and the Queue consumer that sends campaign chunks. Dependencies are built once per
 * isolate (src/worker/context.ts); this file only routes the three kinds of event to them.
 */
export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let context;
    try {
      context = await workerContext(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // The operator's first deploy lands here: say what to fix (names only, never values).
      console.error(err.message);
      return new Response(`Broadside is not configured yet.\n\n${err.message}\n`, {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
    }
    const response = await context.app.fetch(request, env, ctx);
    ctx.waitUntil(context.drain());
    return response;
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const context = await workerContext(env);
    try {
      await runScheduled(context, controller.cron);
    } finally {
      ctx.waitUntil(context.drain());
    }
  },

  async queue(batch: MessageBatch<unknown>, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const context = await workerContext(env);
    try {
      // The dead-letter queue is the send queue's name with -dlq (wrangler.toml).
      if (batch.queue.endsWith('-dlq')) await consumeDeadLetters(context.deps, batch.messages);
      else await consumeSendJobs(context.deps, batch.messages, { cache: context.renders });
    } finally {
      ctx.waitUntil(context.drain());
    }
  },
};
