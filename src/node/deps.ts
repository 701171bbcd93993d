import { getConnInfo } from '@hono/node-server/conninfo';
import type { Config } from '../config';
import { createDeferred } from '../deferred';
import { openLibsql } from '../db/libsql';
import { consoleLogger, createDeps, type Logger } from '../deps';
import { loadSecrets } from '../secrets';
import { threadImportReader } from './import-thread';

/**
 * Rows a CSV import writes per transaction on Node. Each commit writes every page the batch
 * dirtied to the WAL, and the readers' indexes are scattered by address and name, so a larger
 * batch shares those pages among more rows: 100,000 rows written 2,000 at a time took 13–20%
 * less CPU than 500 at a time (bench/import-writer.ts, COMMIT 0.53 → 0.37 s, the readers'
 * insert 2.9 → 2.3–2.7 s), 5,000 no less. The batch is one libSQL transaction of a few MB, held
 * for some tens of milliseconds; memory holds one batch either way.
 */
export const NODE_IMPORT_BATCH_ROWS = 2000;

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
    importBatchRows: NODE_IMPORT_BATCH_ROWS,
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
