import type { Logger } from './deps';

/**
 * Work that must outlive the request that started it (a confirmation email): `defer` runs it
 * and logs its failure, `settle` waits until all of it (including work started meanwhile) is
 * done — for a clean shutdown on Node, for ctx.waitUntil on Workers.
 */
export function createDeferred(logger: Logger) {
  const pending = new Set<Promise<unknown>>();
  return {
    defer: (work: Promise<unknown>) => {
      const p = work
        .catch((err) => logger.error('background work failed', { error: String(err?.stack ?? err) }))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    settle: async () => {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}
