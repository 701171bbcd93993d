import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors';
import type { CheckedEntry, CheckedFile, CheckOptions, ImportReader } from '../subscribers/import/checked-rows';

/**
 * Deps.importReader on Node: a CSV import's rows read and checked (readChecked, the same code as
 * in the request's thread) in a worker thread, while this thread writes the rows checked before.
 * Reading and checking were half of an import's CPU time and writing (SQLite, on this thread) the
 * other half, so on two cores the two halves overlap.
 *
 * This thread keeps reading the upload itself and hands the worker its bytes as it asks for
 * them, so an error of the upload (the body limit, a lost connection) is thrown here as the
 * error it is. Both directions are bounded, so memory does not grow with the file: the worker
 * asks for at most CHUNKS_AHEAD chunks it has not read yet, and posts at most GROUPS_AHEAD groups
 * of checked rows that this thread has not taken yet.
 */

/** Upload chunks the worker may have asked for and not read yet (64 KiB each from a file). */
export const CHUNKS_AHEAD = 16;
/** Groups of checked rows (ENTRIES_PER_GROUP each) the worker may post ahead of the writing. */
export const GROUPS_AHEAD = 4;

/** What the worker posts (src/node/import-thread-worker.ts). */
export type FromWorker =
  | { type: 'pull' }
  | { type: 'head'; head: Omit<CheckedFile, 'entries'> }
  | { type: 'entries'; entries: CheckedEntry[] }
  | { type: 'end' }
  | { type: 'error'; error: { code?: ErrorCode; message: string; details?: Record<string, unknown>; stack?: string } };

/** What this thread posts to the worker. */
export type ToWorker = { type: 'chunk'; value?: Uint8Array; done?: true; failed?: true } | { type: 'more' };

// Under tsx (npm start, the tests, the benchmarks) this file is TypeScript, and so is the worker's.
// Node 20 does not hand tsx's loader to a worker thread, so the worker then starts by registering
// it (tsx's own API) before it imports its file.
const workerFile = new URL(import.meta.url.endsWith('.ts') ? './import-thread-worker.ts' : './import-thread-worker.js', import.meta.url);
const startWorker = (workerData: unknown) => {
  if (!workerFile.pathname.endsWith('.ts')) return new Worker(workerFile, { workerData });
  // Resolved from here where Node can (vitest's module runner may not offer import.meta.resolve).
  const tsx = typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(workerFile.href)}); })`;
  return new Worker(code, { eval: true, workerData });
};

export const threadImportReader: ImportReader = async (body, options: CheckOptions) => {
  const worker = startWorker({ options });
  const upload = body.getReader();
  let uploadError: unknown;
  const inbox: FromWorker[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  const send = (m: ToWorker) => worker.postMessage(m);
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'pull') {
      void upload.read().then(
        ({ done, value }) => send(done ? { type: 'chunk', done: true } : { type: 'chunk', value }),
        (cause: unknown) => {
          uploadError = cause;
          send({ type: 'chunk', failed: true });
        },
      );
      return;
    }
    inbox.push(m);
    wake?.();
  });
  worker.on('error', (cause) => {
    failure = cause;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the import's worker thread stopped (exit code ${code})`);
    wake?.();
  });
  const next = async (): Promise<FromWorker> => {
    while (!inbox.length) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    const m = inbox.shift()!;
    if (m.type === 'error') {
      // The upload's own error first: the worker only saw that its bytes stopped.
      if (uploadError) throw uploadError;
      if (m.error.code) throw new AppError(m.error.code, m.error.message, m.error.details);
      throw Object.assign(new Error(m.error.message), { stack: m.error.stack });
    }
    return m;
  };
  const stop = () => {
    worker.removeAllListeners('exit');
    void worker.terminate();
    void upload.cancel().catch(() => undefined);
  };
  let first: FromWorker;
  try {
    first = await next();
  } catch (cause) {
    stop();
    throw cause;
  }
  if (first.type !== 'head') {
    stop();
    throw new Error(`the import's worker thread answered ${first.type} before the header`);
  }
  async function* entries(): AsyncGenerator<CheckedEntry[], void, void> {
    try {
      for (;;) {
        const m = await next();
        if (m.type === 'end') return;
        if (m.type !== 'entries') throw new Error(`the import's worker thread answered ${m.type} among the rows`);
        send({ type: 'more' });
        yield m.entries;
      }
    } finally {
      stop();
    }
  }
  return { ...first.head, entries: entries() };
};
