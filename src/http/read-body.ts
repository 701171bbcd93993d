import type { Context } from 'hono';
import type * as z from 'zod';
import { AppError } from '../errors';

export type BodyKind = 'form' | 'json';

/**
 * Reads a form-encoded, multipart or JSON body into a plain object. Form fields named in
 * `arrays` (checkboxes) are kept as lists; for any other repeated form field the first value
 * counts. Any other content type is refused with 415 rather than guessed at.
 */
export async function readBody(
  c: Context,
  options: { arrays?: string[] } = {},
): Promise<{ kind: BodyKind; data: Record<string, unknown> }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return { kind: 'json', data: await readJson(c) };
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const body = await parseForm(c);
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (v instanceof File || (Array.isArray(v) && v.some((x) => x instanceof File))) {
        throw new AppError('bad_request', `Field "${k}" must not be a file.`);
      }
      data[k] = Array.isArray(v) && !options.arrays?.includes(k) ? v[0] : v;
    }
    return { kind: 'form', data };
  }
  throw new AppError(
    'unsupported_media_type',
    'Send the body as application/x-www-form-urlencoded, multipart/form-data or application/json.',
  );
}

/**
 * The platform's form parser throws a bare TypeError for a multipart body without a boundary,
 * with a boundary that never occurs, or cut off before its closing delimiter: all the client's
 * fault, so a 400 that says so rather than a 500.
 */
async function parseForm(c: Context) {
  try {
    return await c.req.parseBody({ all: true });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('bad_request', 'The form body could not be read: it is malformed or cut off (multipart needs its boundary).');
  }
}

/** A JSON object body, or a clear 415/400. */
export async function readJson(c: Context): Promise<Record<string, unknown>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new AppError('unsupported_media_type', 'Send a JSON body (Content-Type: application/json).');
  }
  let data: unknown;
  try {
    data = await c.req.json();
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('bad_request', 'The JSON body must be an object.');
  }
  return data as Record<string, unknown>;
}

/** zod's first problem, worded for a person; the field is named unless the message already does. */
export function parseOr400<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  const message = !field || issue.message.toLowerCase().includes(field.toLowerCase()) ? issue.message : `${field}: ${issue.message}`;
  throw new AppError('bad_request', message, { field: field || undefined });
}
