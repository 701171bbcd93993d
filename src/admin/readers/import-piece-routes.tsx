import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { parseOr400, readBody } from '../../http/read-body';
import { importFormats } from '../../subscribers/import/formats';
import { checkRun } from '../../subscribers/import/pieces';
import { statusFromWord } from '../../subscribers/import/rows';
import { runImport, type ImportSummary } from '../../subscribers/import/run-import';
import { deliverSoon } from '../../subscribers/notify';
import { recordAudit } from '../audit';
import { requireRole, type AdminEnv } from '../auth';
import { refusal } from '../flash';
import { IMPORT_PIECE_CHARS, uploadOf } from './import-upload';
import { ImportSummaryView, REFUSED_DOWNLOAD_MAX, refusedRow } from './import-views';
import { jsonText } from '../../http/fields';

/**
 * The desk's import in pieces, what the import page's script uses (src/admin/assets/desk-script.ts):
 * the script splits the chosen file at record boundaries into pieces of about
 * IMPORT_PIECE_CHARS (src/admin/readers/import-upload.ts), each with the header row, and posts them in order to /piece with the
 * run's time (issued with the preview) and the line offset of the piece, so every request stays
 * well within a Worker's limits (CPU time, D1 queries per request) and the same path serves Node.
 * With a piece come the earlier pieces' rows whose address looks like one of its own (the script
 * compares a loose form of the address, never finer than the mailbox key), so that an address
 * repeated across pieces counts once, at its first line, as in one request.
 * Each piece answers its counts as JSON; the script adds them up and asks /summary for the
 * summary, the same view an import in one request ends with. Without the script the form posts
 * the whole file to /admin/readers/import, as before.
 */
const pieceSchema = z.object({
  run: z.coerce.number({ error: 'run must be the import run’s time' }).int().min(0),
  lineOffset: z.coerce.number({ error: 'lineOffset must be a number' }).int().min(0).max(100_000_000),
  earlier: z.string().max(2 * IMPORT_PIECE_CHARS, 'The earlier rows sent with a piece are too long.').optional(),
});

const count = z.number().int().min(0);
const summarySchema = z.object({
  summary: jsonText(
      z.object({
        format: z.enum(importFormats),
        rows: count,
        added: count,
        updated: count,
        unchanged: count,
        suppressed: count,
        skipped: count,
        duplicates: count,
        refusedCount: count,
        confirmationsQueued: count,
        refused: z.array(refusedRow).max(REFUSED_DOWNLOAD_MAX),
      }),
      { unreadable: 'The summary could not be read.', missing: 'No summary was given.', max: 900_000 },
    ),
});

export function importPieceRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();

  app.post('/piece', async (c) => {
    const admin = requireRole(c, 'editor');
    try {
      const { file, choices, fields } = await uploadOf(c);
      const { run, lineOffset, earlier } = parseOr400(pieceSchema, fields);
      const summary = await runImport(deps, file.stream(), {
        fileName: file.name || 'upload.csv',
        mapping: choices.mapping,
        status: statusFromWord(choices.status ?? ''),
        affirmed: choices.affirmed,
        confirm: choices.confirm,
        run: checkRun(run, deps.now()),
        lineOffset,
        earlier,
      });
      if (summary.confirmationsQueued) deliverSoon(deps, summary.confirmationsQueued);
      await recordAudit(deps.db, {
        actor: admin.actor,
        action: 'subscribers.imported',
        target: 'subscribers',
        detail: { file: file.name, piece: { lineOffset, rows: summary.rows }, added: summary.added, updated: summary.updated, suppressed: summary.suppressed, skipped: summary.skipped, refused: summary.refusedCount },
        at: deps.now(),
      });
      const { format, rows, added, updated, unchanged, suppressed, skipped, duplicates, refused, refusedCount, confirmationsQueued } = summary;
      return c.json({ format, rows, added, updated, unchanged, suppressed, skipped, duplicates, refused, refusedCount, confirmationsQueued } satisfies Partial<ImportSummary>);
    } catch (err) {
      // The script shows the message and stops; a 5xx it sends again (a piece is safe to repeat).
      if (err instanceof AppError && err.status < 500) return c.json({ error: refusal(err).text }, err.status as 400);
      throw err;
    }
  });

  /** The summary of an import sent in pieces, from the pieces' counts the script added up. */
  app.post('/summary', async (c) => {
    const admin = requireRole(c, 'editor');
    const { summary } = parseOr400(summarySchema, (await readBody(c)).data);
    return c.html(<ImportSummaryView admin={admin} summary={summary} confirmations={summary.confirmationsQueued} />);
  });
  return app;
}
