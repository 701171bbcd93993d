/**
 * The server side of bench/subscribe-load.ts: Broadside on Node with a fresh libSQL file and the
 * outbox mailer, alone in its process (one core for the app). Prints "ready <port>" when it listens.
 */
import '../src/node/production-mode';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';

const dir = mkdtempSync(join(tmpdir(), 'broadside-subscribe-'));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const { deps, settle } = await buildNodeDeps(
  parseConfig({
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    PUBLIC_URL: 'http://127.0.0.1:8799',
    SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    // One client IP sends everything here; the per-IP limit is not what is measured.
    SUBSCRIBE_IP_LIMIT: '100000000',
  }),
  quiet,
);
const app = createApp(deps);
// The baseline in the same process and run: a bare Hono route that parses the same JSON body and
// answers 202, so the ratio shows what Broadside's sign-up adds to the framework and the runtime.
const bare = new Hono()
  .post('/subscribe', async (c) => {
    await c.req.json();
    return c.json({ ok: true }, 202);
  })
  // This process's CPU time so far (ms, user + system), read by the load side between runs.
  .get('/cpu', (c) => {
    const { user, system } = process.cpuUsage();
    return c.json({ ms: (user + system) / 1000 });
  });
const bareServer = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`bare ${info.port}`));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`ready ${info.port}`));
process.on('SIGTERM', async () => {
  server.close();
  bareServer.close();
  await settle();
  process.exit(0);
});
