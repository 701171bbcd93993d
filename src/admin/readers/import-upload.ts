import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors';
import { limitBody } from '../../http/body-limit';
import { IMPORT_MAX_BYTES, IMPORT_TOO_LARGE } from '../../subscribers/import-routes';
import { importFields, type ImportMapping } from '../../subscribers/import/formats';
import { statusFromWord } from '../../subscribers/import/rows';
import type { ImportChoices } from './import-views';

/** How much text the desk script puts in one piece of an import (src/admin/readers/import-piece-routes.tsx). */
export const IMPORT_PIECE_CHARS = 1_000_000;
/**
 * A piece's body: IMPORT_PIECE_CHARS of text (up to 3 bytes a character), the header row, the
 * earlier rows its addresses repeat (as much again at most) and the form.
 */
export const IMPORT_PIECE_MAX_BYTES = 8 * 1024 * 1024;
/**
 * What the summary's forms carry back (/summary, /refused): up to REFUSED_DOWNLOAD_MAX refused
 * rows of at most 500 characters each, as JSON in a form field.
 */
export const IMPORT_CARRIED_MAX_BYTES = 8 * 1024 * 1024;

/**
 * The body limit of each desk import route, set in src/app.tsx before the CSRF check reads the
 * form: a whole file where a whole file is posted, a piece where a piece is, what a summary
 * carries back where it is; any other path under /admin keeps the admin's 1 MiB.
 */
export const deskImportLimits = new Map<string, MiddlewareHandler>([
  ['/admin/readers/import', limitBody(IMPORT_MAX_BYTES, IMPORT_TOO_LARGE)],
  ['/admin/readers/import/preview', limitBody(IMPORT_MAX_BYTES, IMPORT_TOO_LARGE)],
  ['/admin/readers/import/piece', limitBody(IMPORT_PIECE_MAX_BYTES, `A piece of an import is at most ${IMPORT_PIECE_MAX_BYTES / 1024 / 1024} MB.`)],
  ['/admin/readers/import/summary', limitBody(IMPORT_CARRIED_MAX_BYTES, 'The import summary is too large.')],
  ['/admin/readers/import/refused', limitBody(IMPORT_CARRIED_MAX_BYTES, 'The refused rows are too many to download at once.')],
]);

/**
 * The import form's multipart body: the file, the editor's choices (status, consent,
 * confirmations, mapping), and its other text fields (a piece's run and line offset).
 */
export async function uploadOf(c: Context): Promise<{ file: File; choices: ImportChoices; fields: Record<string, string> }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data') throw new AppError('unsupported_media_type', 'Upload the file with the form (multipart/form-data).');
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody();
  } catch {
    throw new AppError('bad_request', 'The upload could not be read (it was cut off or malformed). Try again.');
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === 'string') fields[k] = v;
  const text = (k: string) => fields[k] ?? '';
  const file = form.file;
  if (!(file instanceof File) || file.size === 0) throw new AppError('bad_request', 'Choose a CSV file to import.');
  const status = text('status');
  if (status && !statusFromWord(status)) throw new AppError('bad_request', `Unknown status "${status.slice(0, 40)}".`);
  let mapping: ImportMapping | undefined;
  // The mapping selects exist only once a preview was shown; without them Broadside guesses.
  if (importFields.some((f) => `map.${f}` in form)) {
    mapping = {};
    for (const f of importFields) {
      const v = text(`map.${f}`).slice(0, 200);
      if (v) mapping[f] = v;
    }
  }
  return { file, choices: { status: status || undefined, affirmed: text('consent') === 'affirmed', confirm: text('confirm') === 'send', mapping }, fields };
}
