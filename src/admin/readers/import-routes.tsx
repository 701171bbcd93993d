import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { parseOr400, readBody } from '../../http/read-body';
import { previewImport, refusedCsv } from '../../subscribers/import/preview';
import { statusFromWord } from '../../subscribers/import/rows';
import { runImport, type ImportProgress } from '../../subscribers/import/run-import';
import { deliverSoon } from '../../subscribers/notify';
import { recordAudit } from '../audit';
import { requireRole, type AdminEnv } from '../auth';
import { refusal } from '../flash';
import { DeskLayout } from '../layout';
import type { AdminPrincipal } from '../sessions';
import { importPieceRoutes } from './import-piece-routes';
import { IMPORT_CARRIED_MAX_BYTES, uploadOf } from './import-upload';
import { ImportForm, ImportSummaryView, PreviewPanel, refusedRow } from './import-views';
import { jsonText } from '../../http/fields';

/**
 * /admin/readers/import: upload → preview with the guessed, editable column mapping → import,
 * with its progress streamed into the page → summary. Thin over the import engine
 * (src/subscribers/import/). The file is never stored: it lives only in the request that
 * previews or imports it (with the desk script the preview is asked for without leaving the
 * page, so the chosen file stays chosen; without it the editor chooses it again). The body limit
 * for these two POSTs is the import's (src/app.tsx), not the desk's 1 MiB.
 */
export function importDeskRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const page = (admin: AdminPrincipal, body: unknown) => (
    <DeskLayout title="Import readers" siteName={deps.config.siteName} section="readers" admin={admin} script>
      <p class="crumbs">
        <a href="/admin/readers">Readers</a>
      </p>
      <h1>Import readers</h1>
      {body as never}
    </DeskLayout>
  );

  app.get('/', (c) => {
    const admin = requireRole(c, 'editor');
    return c.html(page(admin, <ImportForm admin={admin} />));
  });

  app.post('/preview', async (c) => {
    const admin = requireRole(c, 'editor');
    const { file, choices } = await uploadOf(c);
    const fragment = c.req.header('x-desk-fragment') === 'preview';
    try {
      const preview = await previewImport(file.stream(), { mapping: choices.mapping, status: statusFromWord(choices.status ?? ''), affirmed: choices.affirmed });
      // The run an import in pieces will carry (src/admin/readers/import-piece-routes.tsx).
      if (fragment) return c.html(<PreviewPanel preview={preview} run={deps.now()} />);
      return c.html(page(admin, <ImportForm admin={admin} preview={preview} choices={choices} fileName={file.name} run={deps.now()} />));
    } catch (err) {
      const { text } = refusal(err);
      if (fragment) return c.html(<p class="flash bad">{text}</p>);
      return c.html(page(admin, <ImportForm admin={admin} choices={choices} error={text} />), 400);
    }
  });

  app.post('/', async (c) => {
    const admin = requireRole(c, 'editor');
    const { file, choices } = await uploadOf(c);
    const options = { mapping: choices.mapping, status: statusFromWord(choices.status ?? ''), affirmed: choices.affirmed };
    // The header and mapping are checked before the page starts, so a file that cannot be
    // imported at all is refused on the form, with nothing written.
    try {
      await previewImport(file.stream(), options);
    } catch (err) {
      return c.html(page(admin, <ImportForm admin={admin} choices={choices} error={refusal(err).text} />), 400);
    }
    const [top, bottom] = String(await page(admin, <div data-import-run>{STREAM_MARK}</div>).toString()).split(STREAM_MARK) as [string, string];
    const encoder = new TextEncoder();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const out = writable.getWriter();
    // Not awaited: an editor who closes the tab stops reading the page, not the import.
    const write = (s: string) => void out.write(encoder.encode(s)).catch(() => {});
    const work = (async () => {
      write(top + running);
      const done = '</p></section><style>[data-import-running]{display:none}</style>';
      let shown = -1;
      const rows = await estimateRows(file);
      try {
        const summary = await runImport(
          deps,
          file.stream(),
          { ...options, fileName: file.name || 'upload.csv', confirm: choices.confirm },
          async (p: ImportProgress) => {
            const pct = Math.min(99, Math.floor((p.rows / rows) * 100));
            if (pct === shown) return;
            shown = pct;
            write(tick(pct, p));
          },
        );
        if (summary.confirmationsQueued) deliverSoon(deps, summary.confirmationsQueued);
        await recordAudit(deps.db, {
          actor: admin.actor,
          action: 'subscribers.imported',
          target: 'subscribers',
          detail: { file: file.name, added: summary.added, updated: summary.updated, suppressed: summary.suppressed, skipped: summary.skipped, refused: summary.refusedCount },
          at: deps.now(),
        });
        write(done + String(await (<ImportSummaryView admin={admin} summary={summary} confirmations={summary.confirmationsQueued} />).toString()));
      } catch (err) {
        deps.logger.error('desk import failed', { error: String(err) });
        const text = err instanceof AppError && err.status < 500 ? err.message : 'The import stopped on an error. The rows before it are imported; importing the same file again is safe.';
        write(`${done}<p class="flash bad" role="alert">${escapeHtml(text)}</p>`);
      }
      write(bottom);
      await out.close().catch(() => {});
    })();
    deps.defer(work);
    return c.body(readable, 200, { 'content-type': 'text/html; charset=utf-8' });
  });

  app.route('/', importPieceRoutes(deps));

  /** The refused rows of the summary as a CSV file (the summary's form carries them back). */
  app.post('/refused', async (c) => {
    requireRole(c, 'editor');
    const { refused } = parseOr400(refusedSchema, (await readBody(c)).data);
    return c.body(refusedCsv(refused), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="refused-rows.csv"' });
  });
  return app;
}

const STREAM_MARK = '@@import-progress@@';

/** The progress bar, streamed: each step is a style rule for the bar and a line of text (no script needed). */
const running =
  '<section class="card" data-import-running aria-labelledby="run-h"><h2 id="run-h">Importing…</h2>' +
  '<div class="progress" role="progressbar" aria-label="Import progress" aria-valuemin="0" aria-valuemax="100"><span id="import-bar" style="width:0%"></span></div>' +
  '<p class="ticks muted" aria-live="polite"><span>Reading the file…</span>';
const tick = (pct: number, p: ImportProgress) =>
  `<style>#import-bar{width:${pct}%}</style><span>${pct}% · ${p.rows.toLocaleString('en')} rows read, ${(p.added + p.updated).toLocaleString('en')} added or updated</span>`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);


const refusedSchema = z.object({
  refused: jsonText(z.array(refusedRow).max(10_000), { unreadable: 'The refused rows could not be read.', missing: 'No refused rows were given.', max: IMPORT_CARRIED_MAX_BYTES }),
});

/**
 * About how many rows the file has, from the line breaks in its first 64 KiB: the progress bar's
 * denominator. (The bytes read would not do: the CSV parser reads far ahead of the rows written.)
 */
async function estimateRows(file: File): Promise<number> {
  const head = new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer());
  let breaks = 0;
  for (const b of head) if (b === 0x0a) breaks++;
  return Math.max(1, Math.round((breaks * file.size) / Math.max(1, head.length)) - 1);
}
