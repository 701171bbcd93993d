import './production-mode';
import { serve } from '@hono/node-server';
import { Cron } from 'croner';
import { createApp } from '../app';
import { ConfigError, parseConfig } from '../config';
import { consoleLogger } from '../deps';
import { runSendLoop } from '../sending/send-loop';
import { buildNodeDeps } from './deps';
import { prepareImportThread } from './import-thread';
import { startSchedules } from './schedules';
import { runTransactionalLoop } from '../transactional/deliver';

/**
 * The Node entry: read configuration, build the dependencies once (libSQL file, migrated),
 * serve createApp(deps), and run the schedules and the send loop in-process.
 */
async function main() {
  const config = parseConfig(process.env);
  try {
    new Cron(config.digestSchedule).stop();
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  DIGEST_SCHEDULE: ${(err as Error).message}`);
  }
  const logger = consoleLogger;
  const { deps, generatedSecrets, settle, close } = await buildNodeDeps(config, logger);

  // The first CSV import then finds its reading thread started (src/node/import-thread.ts).
  void prepareImportThread();
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    console.log(`Broadside is listening on http://${info.address}:${info.port} (public URL ${config.publicUrl})`);
    console.log(`Database: ${config.databaseUrl}`);
    console.log(
      deps.mailer.kind === 'outbox'
        ? `Mailer: outbox (no RESEND_API_KEY): emails are kept at ${config.publicUrl}/admin/outbox`
        : 'Mailer: Resend',
    );
    if (!config.adminToken) {
      const note = generatedSecrets.includes('adminToken') ? ' (generated now, kept in the database)' : '';
      console.log(`Admin token${note}: ${deps.secrets.adminToken}`);
    }
    console.log(`Try it: ${config.publicUrl}/`);
  });

  const stopping = new AbortController();
  const schedules = startSchedules(deps);
  const sending = runSendLoop(deps, { signal: stopping.signal });
  // Confirmation emails a killed process accepted but never sent go out now, on start.
  const transactional = runTransactionalLoop(deps, { signal: stopping.signal });

  const stop = async (signal: string) => {
    if (stopping.signal.aborted) return;
    logger.info('shutting down', { signal });
    stopping.abort();
    schedules.stop();
    server.close();
    await sending;
    await transactional;
    await settle();
    close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : `Broadside could not start: ${err?.stack ?? err}`);
  process.exit(1);
});
