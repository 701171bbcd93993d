import * as z from 'zod';

/** A short, single-line text field (names, labels): no line breaks or control characters, trimmed. */
export const singleLine = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .max(max, `${field} is too long (at most ${max} characters)`)
    .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `${field} must be a single line of text`)
    .transform((v) => v.trim());
