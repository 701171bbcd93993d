// Runs in workerd before each test file. Each file gets a fresh D1 database: bring it to the
// latest migration from drizzle/, as `wrangler d1 migrations apply` does in production. The fake
// Resend server is shared by all files (one at a time), so its log starts empty with the database:
// otherwise campaign 1 of this file would be confused with campaign 1 of the previous one.
import type { D1Database } from '@cloudflare/workers-types/index.ts';
import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';

await applyD1Migrations(env.DB as D1Database, env.TEST_MIGRATIONS as D1Migration[]);
await fetch(`${inject('controlUrl')}/reset`, { method: 'POST' });
