import { getConnInfo } from '@hono/node-server/conninfo';
import type { Config } from '../config';
import { createDeferred } from '../deferred';
import { openLibsql } from '../db/libsql';
import { consoleLogger, createDeps, type Logger } from '../deps';
import { loadSecrets } from '../secrets';
import { threadImportReader } from './import-thread';

/**
 * Builds the dependencies of a Node process (the server, the campaign CLI) from parsed
 * configuration: the libSQL database (migrated), secrets, and what createDeps makes of them.
 * `settle()` waits for work handed to `defer`, for a clean shutdown.
 */
export async function buildNodeDeps(config: Config, logger: Logger = consoleLogger) {
  const { db, client } = await openLibsql(config.databaseUrl, config.databaseAuthToken);
  const secrets = await loadSecrets(db, config);
  const deferred = createDeferred(logger);
  const deps = createDeps({
    config,
    db,
    secrets,
    logger,
    defer: deferred.defer,
    // A CSV import reads and checks its rows in a worker thread while this one writes.
    importReader: threadImportReader,
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined;
      }
    },
  });
  return {
    deps,
    generatedSecrets: secrets.generated,
    settle: deferred.settle,
    close: () => client.close(),
  };
}
