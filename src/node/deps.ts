import { createHmac } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Config } from './config';
import { createDeferred } from './deferred';
import { openLibsql } from './db/libsql';
import { consoleLogger, type Deps, type Logger } from './deps';
import { createMailer } from './mailer/create-mailer';
import { loadSecrets } from './secrets';
import { TokenSigner } from './tokens';

/**
 * Builds the dependencies of a Node process (the server, the campaign CLI) from parsed
 * configuration: the libSQL database (migrated), secrets, mailer, signer. `settle()` waits for
 * work handed to `defer`, for a clean shutdown.
 */
export async function buildNodeDeps(config: Config, logger: Logger = consoleLogger) {
  const { db, client } = await openLibsql(config.databaseUrl, config.databaseAuthToken);
  const secrets = await loadSecrets(db, config);
  const deferred = createDeferred(logger);
  const deps: Deps = {
    config,
    db,
    mailer: createMailer(config, db, logger),
    secrets,
    // node:crypto's HMAC is synchronous and ~20× faster than WebCrypto's for the per-reader links.
    signer: new TokenSigner(secrets.secret, (payload) => createHmac('sha256', secrets.secret).update(payload).digest()),
    logger,
    now: Date.now,
    defer: deferred.defer,
    fetch: (input, init) => fetch(input, init),
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined;
      }
    },
  };
  return {
    deps,
    generatedSecrets: secrets.generated,
    settle: deferred.settle,
    close: () => client.close(),
  };
}
