import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors';
import { readChecked, type CheckedEntry, type CheckedFile, type CheckOptions, type ImportReader } from '../subscribers/import/checked-rows';
import { unpackEntries } from './packed-entries';

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

/** What the worker posts (src/node/import-thread-worker.ts), each for the import `id`. */
export type FromWorker = { id: number } & (
  | { type: 'ready' }
  | { type: 'pull' }
  | { type: 'head'; head: Omit<CheckedFile, 'entries'> }
  | { type: 'entries'; packed: string }
  | { type: 'end' }
  | { type: 'error'; error: { code?: ErrorCode; message: string; details?: Record<string, unknown>; stack?: string } }
);

/** What this thread posts to the worker. */
export type ToWorker =
  | { type: 'start'; id: number; options: CheckOptions }
  | { type: 'chunk'; id: number; value?: Uint8Array; done?: true; failed?: true }
  | { type: 'more'; id: number };

// Under tsx (npm start, the tests, the benchmarks) this file is TypeScript, and so is the worker's.
// Node 20 does not hand tsx's loader to a worker thread, so the worker then starts by registering
// tsx itself, with tsx's CommonJS API (tsx/cjs/api): it compiles the worker's few modules in the
// thread. tsx's ESM API would start one more thread for its loader (Node runs module hooks off
// the thread), which cost about as much CPU again as the worker's own start.
const workerFile = new URL(import.meta.url.endsWith('.ts') ? './import-thread-worker.ts' : './import-thread-worker.js', import.meta.url);
const startWorker = () => {
  if (!workerFile.pathname.endsWith('.ts')) return new Worker(workerFile);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(fileURLToPath(workerFile))});`;
  return new Worker(code, { eval: true });
};

/**
 * One worker waits between imports, so that only the first import of a process pays for
 * starting a thread and loading the checks' modules there (about a second). An import that
 * finds it busy starts another, which is stopped when it is done if one already waits. The one
 * that waits does not keep the process alive.
 */
let idle: Worker | undefined;
const take = () => {
  const worker = idle ?? startWorker();
  idle = undefined;
  worker.removeAllListeners();
  starting.get(worker)?.();
  starting.delete(worker);
  worker.ref();
  return worker;
};
const giveBack = (worker: Worker) => {
  worker.removeAllListeners();
  if (idle) {
    void worker.terminate();
    return;
  }
  idle = worker;
  worker.unref();
  const forget = () => {
    if (idle === worker) idle = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
};
let imports = 0;

/**
 * Starts the thread an import takes before any import asks for it, so that the first import of
 * the process does not wait for it (the server does this at its start, src/node/main.ts). A
 * thread costs its start and the checks' modules: an import that starts it gets its first rows
 * 0.3 s later than from a thread that waits, and one that waits holds ~10 MB more RSS
 * (bench/import-memory.ts and import-sender.ts, BENCH_IMPORT_COLD=1 against the default).
 * Resolves when the thread has loaded them; never rejects (an import then starts its own).
 */
export function prepareImportThread(): Promise<void> {
  if (idle || busy >= MAX_THREADS) return Promise.resolve();
  const worker = startWorker();
  giveBack(worker);
  // Held until it is ready, so that a process awaiting this does not exit meanwhile.
  worker.ref();
  return new Promise<void>((resolve) => {
    starting.set(worker, resolve);
    const done = () => {
      starting.delete(worker);
      if (idle === worker) worker.unref();
      resolve();
    };
    worker.once('message', done);
    worker.once('error', done);
    worker.once('exit', done);
  });
}
/** Threads prepareImportThread started that have not said they are ready: an import that takes one ends the wait. */
const starting = new WeakMap<Worker, () => void>();

/**
 * Imports whose rows are read in threads at once: a thread more than the cores beside the main
 * thread would only queue for a core and cost its memory (a V8 of its own, ~90 MB), so a further
 * overlapping import reads its rows in its request's thread, with the same checks.
 */
const MAX_THREADS = Math.max(1, availableParallelism() - 1);
let busy = 0;

export const threadImportReader: ImportReader = async (body, options: CheckOptions) => {
  if (busy >= MAX_THREADS) return readChecked(body, options);
  busy++;
  const id = ++imports;
  const worker = take();
  const upload = body.getReader();
  let uploadError: unknown;
  const inbox: FromWorker[] = [];
  let wake: (() => void) | undefined;
  let failure: unknown;
  const send = (m: ToWorker) => worker.postMessage(m);
  // Upload reads the worker asked for and this thread has not answered yet (see entries.next).
  let reading = 0;
  let readsDone: (() => void) | undefined;
  worker.on('message', (m: FromWorker) => {
    if (m.id !== id) return;
    if (m.type === 'pull') {
      reading++;
      void upload
        .read()
        .then(
          ({ done, value }) => send(done ? { type: 'chunk', id, done: true } : { type: 'chunk', id, value }),
          (cause: unknown) => {
            uploadError = cause;
            send({ type: 'chunk', id, failed: true });
          },
        )
        .finally(() => {
          if (--reading === 0) readsDone?.();
        });
      return;
    }
    inbox.push(m);
    wake?.();
  });
  worker.on('error', (cause) => {
    failure = cause;
    wake?.();
    readsDone?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the import's worker thread stopped (exit code ${code})`);
    wake?.();
    readsDone?.();
  });
  // Whether the worker finished this import (its last message taken), and may take the next.
  let finished = false;
  const next = async (): Promise<FromWorker> => {
    while (!inbox.length) {
      if (failure) throw failure;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    const m = inbox.shift()!;
    if (m.type === 'error') {
      finished = true;
      // The upload's own error first: the worker only saw that its bytes stopped.
      if (uploadError) throw uploadError;
      if (m.error.code) throw new AppError(m.error.code, m.error.message, m.error.details);
      throw Object.assign(new Error(m.error.message), { stack: m.error.stack });
    }
    if (m.type === 'end') finished = true;
    return m;
  };
  // Called once: on a failure before the rows, or when the rows' iterator returns.
  const stop = () => {
    busy--;
    if (finished) giveBack(worker);
    else {
      worker.removeAllListeners();
      void worker.terminate();
    }
    void upload.cancel().catch(() => undefined);
  };
  send({ type: 'start', id, options });
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
  // Not a generator: its return() must stop the worker even if no row was asked for yet.
  let stopped = false;
  const entries: AsyncIterableIterator<CheckedEntry[]> = {
    [Symbol.asyncIterator]: () => entries,
    next: async () => {
      if (stopped) return { done: true, value: undefined };
      // Answer the worker's asks for bytes before writing more rows. This thread reads the upload
      // only when its event loop turns, and writing a batch (SQLite, synchronous) holds it for
      // several milliseconds: otherwise the worker gets about one chunk a batch, runs dry, and the
      // two threads take turns instead of working at once. Each read is one turn of the loop
      // (a file's 64 KiB, a socket's buffer), so this waits for bytes on their way, not for work;
      // a thread that fails ends the wait (next() then throws its failure).
      if (reading && !failure) await new Promise<void>((resolve) => (readsDone = resolve));
      readsDone = undefined;
      try {
        const m = await next();
        if (m.type === 'end') return await entries.return!();
        if (m.type !== 'entries') throw new Error(`the import's worker thread answered ${m.type} among the rows`);
        send({ type: 'more', id });
        return { done: false, value: unpackEntries(m.packed) };
      } catch (cause) {
        await entries.return!();
        throw cause;
      }
    },
    return: async () => {
      if (!stopped) {
        stopped = true;
        stop();
      }
      return { done: true, value: undefined };
    },
  };
  return { ...first.head, entries };

};
