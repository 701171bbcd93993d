// Types for the workerd-only modules the workers tests import. The package's own declarations
// (@cloudflare/vitest-pool-workers/types) need @cloudflare/workers-types as global types, which
// clash with the DOM types the rest of the project compiles with; these name the same functions
// with types imported from workers-types instead.
declare module 'cloudflare:test' {
  import type {
    D1Database,
    ExecutionContext,
    FetcherQueueResult,
    FetcherScheduledOptions,
    MessageBatch,
    ScheduledController,
    ServiceBindingQueueMessage,
  } from '@cloudflare/workers-types/experimental/index.ts';

  export interface D1Migration {
    name: string;
    queries: string[];
  }
  export function applyD1Migrations(db: D1Database, migrations: D1Migration[], migrationsTableName?: string): Promise<void>;
  export function createExecutionContext(): ExecutionContext;
  export function waitOnExecutionContext(ctx: ExecutionContext): Promise<void>;
  export function createScheduledController(options?: FetcherScheduledOptions): ScheduledController;
  export function createMessageBatch<Body = unknown>(queueName: string, messages: ServiceBindingQueueMessage<Body>[]): MessageBatch<Body>;
  export function getQueueResult(batch: MessageBatch, ctx: ExecutionContext): Promise<FetcherQueueResult>;
}

declare module 'cloudflare:workers' {
  /** The Worker's bindings, vars and secrets (typed by the tests as src/worker/env.ts's WorkerEnv). */
  export const env: Record<string, unknown>;
}
