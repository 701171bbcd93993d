import type { D1Database, Queue } from '@cloudflare/workers-types/index.ts';
import { ConfigError, parseConfig, type Config } from '../config';
import { isRemoteLibsqlUrl } from '../db/libsql-web';
import type { ChunkJob } from '../sending/queue-chunks';

/**
 * What a Worker's env holds: the bindings of wrangler.toml, plus vars and secrets (strings;
 * a var written as a TOML number or boolean arrives as one).
 */
export interface WorkerEnv {
  /** D1, when DATABASE_URL does not name a Turso database. */
  DB?: D1Database;
  /** The producer of the send queue. */
  SEND_QUEUE?: Queue<ChunkJob>;
  [name: string]: unknown;
}

/**
 * Configuration from a Worker's env, validated by the same parseConfig as Node, plus what only
 * Workers need. Secrets are not generated here, unlike on Node: a Worker has no console to print
 * a generated admin token to, and every isolate would race to store its own. A missing one stops
 * the Worker with the `wrangler secret put` to run.
 */
export function workerConfig(env: WorkerEnv): Config {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') vars[name] = String(value);
  }
  const problems: string[] = [];
  if (!vars.PUBLIC_URL) problems.push('  PUBLIC_URL: required on Workers: the https:// address Broadside answers at, used in every link');
  if (!vars.ADMIN_TOKEN) problems.push('  ADMIN_TOKEN: required on Workers: run `npx wrangler secret put ADMIN_TOKEN`');
  if (!vars.SECRET) problems.push('  SECRET: required on Workers: run `npx wrangler secret put SECRET`');
  if (vars.DATABASE_URL) {
    if (!isRemoteLibsqlUrl(vars.DATABASE_URL)) {
      problems.push('  DATABASE_URL: on Workers it must be a Turso libsql:// or https:// URL (or unset, with a D1 binding named DB)');
    }
  } else if (!env.DB) {
    problems.push('  DB: bind a D1 database as DB in wrangler.toml, or set DATABASE_URL to a Turso libsql:// URL');
  }
  if (!env.SEND_QUEUE) problems.push('  SEND_QUEUE: bind the send queue as SEND_QUEUE in wrangler.toml ([[queues.producers]])');

  let config: Config | undefined;
  try {
    config = parseConfig(vars);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.unshift(...err.message.split('\n').slice(1));
  }
  if (problems.length || !config) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return config;
}
