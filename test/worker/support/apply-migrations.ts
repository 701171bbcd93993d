// Brings the test D1 database to the latest migration from drizzle/, as
// `wrangler d1 migrations apply` does in production. Applied migrations are recorded, so running
// this before every test file is cheap.
import type { D1Database } from '@cloudflare/workers-types/index.ts';
import { applyD1Migrations, type D1Migration } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB as D1Database, env.TEST_MIGRATIONS as D1Migration[]);
