import { describe, expect, it } from 'vitest';
import { prepareImportThread, threadImportReader } from '../../../src/node/import-thread';
import { readChecked } from '../../../src/subscribers/import/checked-rows';
import { messyFile } from './support';

/**
 * The server starts the import's thread before any import (prepareImportThread, src/node/main.ts).
 * An import may take that thread while it is still loading, or once it is ready; either way it
 * reads exactly what an import in one thread reads. Its own file: the module's waiting thread
 * must not exist yet when the first case starts.
 */
const rowsOf = async (read: typeof readChecked, csv: string) => {
  const file = await read(new Blob([csv]).stream(), {});
  const out = [];
  for await (const group of file.entries) out.push(...group);
  return { header: file.header, out };
};

describe('the import thread started ahead of the first import', () => {
  it('reads the same rows whether the import takes it while it starts or once it is ready', async () => {
    const csv = messyFile(1200);
    const expected = await rowsOf(readChecked, csv);
    // Taken at once, before it has loaded: the wait ends with the import taking it.
    const starting = prepareImportThread();
    expect(await rowsOf(threadImportReader, csv)).toEqual(expected);
    await starting;
    // The thread waits again after that import: preparing finds it, and the next import takes it.
    await prepareImportThread();
    expect(await rowsOf(threadImportReader, messyFile(300))).toEqual(await rowsOf(readChecked, messyFile(300)));
  });
});
