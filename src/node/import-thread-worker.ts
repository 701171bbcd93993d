import { parentPort } from 'node:worker_threads';
import { AppError } from '../errors';
import { readChecked, type CheckOptions } from '../subscribers/import/checked-rows';
import { CHUNKS_AHEAD, GROUPS_AHEAD, type FromWorker, type ToWorker } from './import-thread';
import { packEntries } from './packed-entries';

/**
 * The worker thread of src/node/import-thread.ts: reads and checks one import at a time with
 * readChecked, the bytes asked of the main thread as the parser needs them, and posts the header,
 * then the checked rows a group at a time (packed: src/node/packed-entries.ts), never more than
 * GROUPS_AHEAD groups ahead. Every
 * message carries its import's id: what arrives late for an import that ended is dropped.
 */
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);

interface Run {
  id: number;
  chunks: Extract<ToWorker, { type: 'chunk' }>[];
  credit: number;
  over: boolean;
}
let run: Run | undefined;

// Whoever waits (the parser for bytes, the loop below for credit) looks again on every message.
const waiting = new Set<() => void>();
const wake = () => {
  for (const resolve of waiting) resolve();
  waiting.clear();
};
const until = async (ready: () => boolean) => {
  while (!ready()) await new Promise<void>((resolve) => waiting.add(resolve));
};

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') void start(m.id, m.options);
  else if (m.id === run?.id) {
    if (m.type === 'more') run.credit++;
    else run.chunks.push(m);
  }
  wake();
});

// Loaded: an import may start (prepareImportThread waits for this; the imports' listeners ignore id 0).
post({ type: 'ready', id: 0 });

async function start(id: number, options: CheckOptions) {
  const r: Run = { id, chunks: [], credit: GROUPS_AHEAD, over: false };
  run = r;
  const body = new ReadableStream<Uint8Array>({
    start() {
      for (let i = 0; i < CHUNKS_AHEAD; i++) post({ type: 'pull', id });
    },
    async pull(controller) {
      await until(() => r.chunks.length > 0 || r.over);
      const m = r.chunks.shift();
      if (!m) controller.close();
      else if (m.failed) controller.error(new Error('the upload could not be read'));
      else if (m.done) controller.close();
      else {
        controller.enqueue(m.value!);
        post({ type: 'pull', id });
      }
    },
  });
  try {
    const { entries, ...head } = await readChecked(body, options);
    post({ type: 'head', id, head });
    for await (const group of entries) {
      await until(() => r.credit > 0);
      r.credit--;
      post({ type: 'entries', id, packed: packEntries(group) });
    }
    post({ type: 'end', id });
  } catch (cause) {
    const error =
      cause instanceof AppError
        ? { code: cause.code, message: cause.message, details: cause.details }
        : { message: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined };
    post({ type: 'error', id, error });
  } finally {
    r.over = true;
    wake();
  }
}
