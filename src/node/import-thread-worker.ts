import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors';
import { readChecked, type CheckOptions } from '../subscribers/import/checked-rows';
import { CHUNKS_AHEAD, GROUPS_AHEAD, type FromWorker, type ToWorker } from './import-thread';

/**
 * The worker thread of src/node/import-thread.ts: reads and checks one import's file with
 * readChecked, the bytes asked of the main thread as the parser needs them, and posts the header,
 * then the checked rows a group at a time, never more than GROUPS_AHEAD groups ahead.
 */
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const chunks: ToWorker[] = [];
let credit = GROUPS_AHEAD;
// Whoever waits (the parser for bytes, the loop below for credit) looks again on every message.
const waiting = new Set<() => void>();
const wake = () => {
  for (const resolve of waiting) resolve();
  waiting.clear();
};

port.on('message', (m: ToWorker) => {
  if (m.type === 'more') credit++;
  else chunks.push(m);
  wake();
});

const until = async (ready: () => boolean) => {
  while (!ready()) {
    await new Promise<void>((resolve) => waiting.add(resolve));
  }
};

const body = new ReadableStream<Uint8Array>({
  start() {
    for (let i = 0; i < CHUNKS_AHEAD; i++) post({ type: 'pull' });
  },
  async pull(controller) {
    await until(() => chunks.length > 0);
    const m = chunks.shift()! as Extract<ToWorker, { type: 'chunk' }>;
    if (m.failed) controller.error(new Error('the upload could not be read'));
    else if (m.done) controller.close();
    else {
      controller.enqueue(m.value!);
      post({ type: 'pull' });
    }
  },
});

try {
  const { entries, ...head } = await readChecked(body, (workerData as { options: CheckOptions }).options);
  post({ type: 'head', head });
  for await (const group of entries) {
    await until(() => credit > 0);
    credit--;
    post({ type: 'entries', entries: group });
  }
  post({ type: 'end' });
} catch (cause) {
  const error =
    cause instanceof AppError
      ? { code: cause.code, message: cause.message, details: cause.details }
      : { message: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined };
  post({ type: 'error', error });
}
