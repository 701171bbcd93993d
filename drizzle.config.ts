import { defineConfig } from 'drizzle-kit';

// dialect "sqlite" (not "turso") so the same drizzle/ folder serves libSQL's migrate() and
// `wrangler d1 migrations apply`.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
