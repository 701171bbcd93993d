import * as z from 'zod';
import { topics, type Topic } from '../db/schema';
import type { Subscriber } from './queries';

export const topicList = (s: Pick<Subscriber, 'wantsDigest' | 'wantsAppeals'>): Topic[] => [
  ...(s.wantsDigest ? (['digest'] as const) : []),
  ...(s.wantsAppeals ? (['appeals'] as const) : []),
];

export const topicColumns = (list: readonly Topic[]) => ({
  wantsDigest: list.includes('digest'),
  wantsAppeals: list.includes('appeals'),
});

/**
 * Topics as a client may send them: an array, a comma-separated string, or a single value
 * (HTML forms send one field per checked box). Unknown topics are an error, not ignored.
 */
export const topicsField = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.enum(topics, { error: `topics must be among: ${topics.join(', ')}` })).max(topics.length * 4))
  .transform((v) => [...new Set(v)] as Topic[]);
