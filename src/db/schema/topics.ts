/**
 * The topics a reader can want mailed. Its own file, free of Drizzle, so that code which only
 * checks a reader's topics (an import's worker thread, src/node/import-thread-worker.ts) does not
 * load the schema's tables.
 */
export const topics = ['digest', 'appeals'] as const;
export type Topic = (typeof topics)[number];
