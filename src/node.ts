import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from './app';
import { ConfigError, parseConfig } from './config';
import { openLibsql } from './db/libsql';
import { consoleLogger, type Deps } from './deps';
import { createMailer } from './mailer/create-mailer';
import { loadSecrets } from './secrets';
import { TokenSigner } from './tokens';

/**
 * The Node entry: read configuration, open the embedded libSQL file (migrating it), build the
 * dependencies once, serve. Everything else lives in createApp(deps).
 */
async function main() {
  const config = parseConfig(process.env);
  const logger = consoleLogger;
  const { db, client } = await openLibsql(config.databaseUrl, config.databaseAuthToken);
  const secrets = await loadSecrets(db, config);

  const pending = new Set<Promise<unknown>>();
  const defer = (work: Promise<unknown>) => {
    const p = work
      .catch((err) => logger.error('background work failed', { error: String(err?.stack ?? err) }))
      .finally(() => pending.delete(p));
    pending.add(p);
  };

  const deps: Deps = {
    config,
    db,
    mailer: createMailer(config, db, logger),
    secrets,
    signer: new TokenSigner(secrets.secret),
    logger,
    now: Date.now,
    defer,
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined;
      }
    },
  };

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
      console.log(`Admin token${secrets.generated.includes('adminToken') ? ' (generated now, kept in the database)' : ''}: ${secrets.adminToken}`);
    }
    console.log(`Try it: ${config.publicUrl}/`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    server.close();
    await Promise.allSettled([...pending]);
    client.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
  } else {
    console.error('Broadside could not start:', err);
  }
  process.exit(1);
});
