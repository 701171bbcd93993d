import * as z from 'zod';
import { formatNames, importFields, type ImportField, type ImportMapping } from '../../subscribers/import/formats';
import type { previewImport } from '../../subscribers/import/preview';
import type { ImportSummary } from '../../subscribers/import/run-import';
import { Csrf } from '../layout';
import { IMPORT_PIECE_CHARS } from './import-upload';
import type { AdminPrincipal } from '../sessions';

export type Preview = Awaited<ReturnType<typeof previewImport>>;

/** What the editor chose on the form, carried from the preview to the import. */
export interface ImportChoices {
  status?: string;
  affirmed: boolean;
  confirm: boolean;
  mapping?: ImportMapping;
}

export const declarableStatuses = ['subscribed', 'pending', 'unsubscribed', 'cleaned', 'bounced', 'complained'] as const;

const fieldLabels: Record<ImportField, string> = {
  email: 'Email address',
  name: 'Full name',
  firstName: 'First name',
  lastName: 'Last name',
  status: 'Status word',
  subscribed: 'Subscribed (yes/no)',
  emailDisabled: 'Email disabled (yes/no)',
  paid: 'Paying (yes/no → tag “paid”)',
  topics: 'Topics',
  tags: 'Tags',
  consentAt: 'Signed up at',
  consentIp: 'Sign-up IP',
  consentUserAgent: 'Sign-up browser',
  consentSource: 'Sign-up source',
  consentWording: 'Consent wording version',
  confirmedAt: 'Confirmed at',
  confirmIp: 'Confirmation IP',
  unsubscribedAt: 'Left at',
};
const separators: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/** The column mapping Broadside guessed, one select per field, and the first rows as they would be imported. */
export function PreviewPanel({ preview, run }: { preview: Preview; run?: number }) {
  const mapped = importFields.filter((f) => preview.mapping[f]);
  const unmapped = importFields.filter((f) => !preview.mapping[f]);
  const select = (f: ImportField) => (
    <div class="map-field">
      <label for={`map-${f}`}>{fieldLabels[f]}</label>
      <select id={`map-${f}`} name={`map.${f}`} data-remap>
        <option value="">(not imported)</option>
        {preview.headers.map((h) => (
          <option value={h} selected={preview.mapping[f] === h}>
            {h}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    // data-encoding and data-run: what the desk script needs to send the file in pieces.
    <section class="card" aria-labelledby="preview-h" data-preview-ready data-encoding={preview.encoding} data-delimiter={preview.delimiter} data-run={run}>
      <h2 id="preview-h">Preview</h2>
      <p data-detected>
        Broadside reads this as a <strong>{preview.tool}</strong> {preview.format === 'plain' ? 'file' : 'export'} ({preview.encoding}, separated by {separators[preview.delimiter] ?? preview.delimiter}
        {preview.headers.length ? `, ${preview.headers.length} columns` : ''}).
        {preview.declaredStatus && ` Every row is ${preview.declaredStatus}.`}
      </p>
      <fieldset class="plain-fieldset">
        <legend>Columns</legend>
        <p class="hint">Which column holds what. Correct a guess here; the preview follows.</p>
        <div class="map-grid">{mapped.map(select)}</div>
        <details>
          <summary>More fields ({unmapped.length} not imported)</summary>
          <div class="map-grid">{unmapped.map(select)}</div>
        </details>
      </fieldset>
      <h3>The first {preview.rows.length} rows as they would be imported</h3>
      <div class="table-wrap">
        <table class="preview-rows">
          <thead>
            <tr>
              <th scope="col" class="num">Line</th>
              <th scope="col">Address</th>
              <th scope="col">Name</th>
              <th scope="col">Becomes</th>
              <th scope="col">Tags</th>
              <th scope="col">Signed up</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) =>
              'reader' in r && r.reader ? (
                <tr>
                  <td class="num">{r.line}</td>
                  <td>{r.reader.email}</td>
                  <td>{r.reader.name ?? ''}</td>
                  <td>
                    <span class={`badge r-${r.reader.status}`}>{r.reader.status}</span>
                  </td>
                  <td class="small">{r.reader.tags.join(', ')}</td>
                  <td class="small nowrap">{r.reader.consentAt ? r.reader.consentAt.slice(0, 16).replace('T', ' ') : '–'}</td>
                </tr>
              ) : (
                <tr class="refused">
                  <td class="num">{r.line}</td>
                  <td colspan={5}>
                    <strong class="level-bad">Refused:</strong> {'refused' in r ? r.refused : ''}
                  </td>
                </tr>
              ),
            )}
            {preview.problems.map((p) => (
              <tr class="refused">
                <td class="num">{p.line}</td>
                <td colspan={5}>
                  <strong class="level-bad">Refused:</strong> {p.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The import form: file, options, the preview (when there is one) and the two buttons. */
export function ImportForm({ admin, preview, choices, error, fileName, run }: { admin: AdminPrincipal; preview?: Preview; choices?: ImportChoices; error?: string; fileName?: string; run?: number }) {
  return (
    <form method="post" action="/admin/readers/import" enctype="multipart/form-data" class="stack" data-import data-piece-chars={IMPORT_PIECE_CHARS}>
      <Csrf admin={admin} />
      <section class="card form-card" aria-labelledby="file-h">
        <h2 id="file-h">1. The file</h2>
        <label for="i-file">
          CSV file <span class="hint">An export from Mailchimp, Substack, Ghost, listmonk or Broadside, or any CSV with an email column. Up to 32 MB.</span>
        </label>
        <input id="i-file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required />
        {fileName && (
          <p class="flash warn" data-choose-again>
            Browsers do not keep a chosen file from one page to the next: choose <strong>{fileName}</strong> again to import it with the columns below.
          </p>
        )}
        {error && <p class="flash bad">{error}</p>}
      </section>
      <section class="card form-card" aria-labelledby="options-h">
        <h2 id="options-h">2. Options</h2>
        <label for="i-status">
          Status of every row <span class="hint">For Mailchimp’s unsubscribed or cleaned file, or a list of people who left. Otherwise the file says.</span>
        </label>
        <select id="i-status" name="status" data-remap>
          <option value="">as the file says</option>
          {declarableStatuses.map((s) => (
            <option value={s} selected={choices?.status === s}>
              {s}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" name="consent" value="affirmed" checked={choices?.affirmed} data-remap />
          <span>
            The site holds these people’s consent
            <span class="hint">
              Tick only if every person in the file agreed to get this newsletter (you can show when and how). Rows without a consent date or a status then come in as active, and your
              affirmation is recorded on each. Without the tick they come in as pending and get no mail until they confirm.
            </span>
          </span>
        </label>
        <label class="check">
          <input type="checkbox" name="confirm" value="send" checked={choices?.confirm} />
          <span>
            Send a confirmation email to the pending rows
            <span class="hint">They become active when they click it. Without this, pending readers get nothing.</span>
          </span>
        </label>
      </section>
      <div data-preview-box aria-live="polite">
        {preview && <PreviewPanel preview={preview} run={run} />}
      </div>
      <div class="actions">
        <button type="submit" class="secondary" formaction="/admin/readers/import/preview" formnovalidate={false} data-preview-button>
          Preview
        </button>
        <button type="submit" data-import-button>
          Import
        </button>
        <span class="muted small" data-import-state hidden>
          Uploading and importing… keep this page open.
        </span>
      </div>
      {/* What the desk script shows while it sends the file in pieces. */}
      <template data-import-progress>
        <section class="card" aria-labelledby="run-h" data-import-running>
          <h2 id="run-h">Importing…</h2>
          <div class="progress" role="progressbar" aria-label="Import progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0">
            <span style="width:0%" data-bar></span>
          </div>
          <p class="ticks muted" aria-live="polite" data-ticks>
            Reading the file…
          </p>
        </section>
      </template>
    </form>
  );
}

const figure = (n: number, label: string, key: string) => (
  <li data-figure={key}>
    <strong>{n.toLocaleString('en')}</strong>
    <span>{label}</span>
  </li>
);

/** Refused rows carried to the CSV download, as many as fit in one desk form (1 MiB). */
export const REFUSED_DOWNLOAD_MAX = 5000;
/** One refused row as the summary's forms carry it back (the download, an import in pieces' summary). */
export const refusedRow = z.object({ line: z.number().int().min(0), reason: z.string().max(500) });

/** What the summary shows: an import's counts, from one request or added up from its pieces. */
export type SummaryShown = Pick<ImportSummary, 'format' | 'rows' | 'added' | 'updated' | 'unchanged' | 'suppressed' | 'skipped' | 'duplicates' | 'refused' | 'refusedCount'>;

export function ImportSummaryView({ admin, summary, confirmations }: { admin: AdminPrincipal; summary: SummaryShown; confirmations: number }) {
  const shown = summary.refused.slice(0, 100);
  return (
    <section class="card" aria-labelledby="summary-h" data-import-summary>
      <h2 id="summary-h" tabindex={-1}>
        Imported {summary.rows.toLocaleString('en')} rows
      </h2>
      <ul class="figures">
        {figure(summary.added, 'added', 'added')}
        {figure(summary.updated, 'updated', 'updated')}
        {figure(summary.unchanged, 'unchanged', 'unchanged')}
        {figure(summary.suppressed, 'suppressed', 'suppressed')}
        {figure(summary.skipped, 'skipped (erased)', 'skipped')}
        {figure(summary.refusedCount, 'refused', 'refused')}
      </ul>
      <p class="muted small">
        Suppressed readers had left (unsubscribed, bounced, complained): they are kept so that nobody mails them again. Read as {summary.format === 'plain' ? 'a plain CSV file' : `a ${formatNames[summary.format]} export`}.
        {summary.duplicates === 1 && ' 1 repeated address counted once.'}
        {summary.duplicates > 1 && ` ${summary.duplicates.toLocaleString('en')} repeated addresses counted once each.`}
        {confirmations > 0 && ` ${confirmations.toLocaleString('en')} confirmation emails are on their way.`} Importing the same file again changes nothing.
      </p>
      {summary.refusedCount > 0 && (
        <>
          <h3>Refused rows</h3>
          <div class="table-wrap">
            <table data-refused>
              <thead>
                <tr>
                  <th scope="col" class="num">Line</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr>
                    <td class="num">{r.line}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {summary.refusedCount > shown.length && <p class="muted small">The first {shown.length} of {summary.refusedCount.toLocaleString('en')} are shown here; the download has more.</p>}
          <form method="post" action="/admin/readers/import/refused" class="actions">
            <Csrf admin={admin} />
            <input type="hidden" name="refused" value={JSON.stringify(summary.refused.slice(0, REFUSED_DOWNLOAD_MAX))} />
            <button type="submit" class="secondary">
              Download the refused rows (CSV)
            </button>
          </form>
        </>
      )}
      <div class="actions">
        <a class="button" href="/admin/readers">
          See the readers
        </a>
        <a class="button secondary" href="/admin/readers/import">
          Import another file
        </a>
      </div>
    </section>
  );
}
