import * as z from 'zod';
import { AppError } from '../errors';

/** A short, single-line text field (names, labels): no line breaks or control characters, trimmed. */
export const singleLine = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .max(max, `${field} is too long (at most ${max} characters)`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${field} must be a single line of text`)
    .transform((v) => v.trim());

/**
 * A text field that holds JSON (a query parameter, a form's hidden value): parsed, then checked by
 * `schema`; text that is not JSON is refused with `unreadable`, as any other invalid field is, and
 * text over `max` characters before it is parsed.
 */
export const jsonText = <T extends z.ZodType>(schema: T, o: { unreadable: string; missing?: string; max: number }) =>
  z
    .string(o.missing ? { error: o.missing } : undefined)
    .max(o.max, 'The value is too long.')
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: o.unreadable });
        return z.NEVER;
      }
    })
    .pipe(schema);

/**
 * A positive integer id from a path segment. Anything else (`abc`, `0`, `1.5`…) names no row, so
 * it is a 404 with `notFound` as the message, the same as an id that does not exist.
 */
export function idParam(raw: string | undefined, notFound: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', notFound);
  return id;
}
