import * as z from 'zod';

/** Tags as an editor gives them: lower-cased, 1–40 of a-z, 0-9, - and _, at most 20, no repeats. */
export const tagsField = z
  .array(
    z
      .string()
      .transform((t) => t.trim().toLowerCase())
      .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'tags are 1–40 letters, digits, - or _')),
  )
  .max(20, 'at most 20 tags')
  .transform((v) => [...new Set(v)]);
