import { Hono } from 'hono';
import * as z from 'zod';
import { subscriberStatuses, topics } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { parseOr400, readBody } from '../../http/read-body';
import { BULK_MAX_ADDRESSES, bulkTag, pastedAddresses } from '../../subscribers/bulk-tags';
import { READER_COUNT_CAP, readerPage } from '../../subscribers/reader-page';
import { readerFilterSchema, type ReaderFilter } from '../../subscribers/reader-filter';
import { tagsField } from '../../subscribers/tags';
import { topicList } from '../../subscribers/topics';
import { recordAudit } from '../audit';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { readersByStatus } from '../dashboard/queries';
import { deskAction, redirectWith, takeFlash } from '../flash';
import { Csrf, DeskLayout } from '../layout';
import { formatInZone } from '../time';

export const READERS_PAGE = 50;

// An empty form field means "no filter", not "a filter on the empty string".
const blankless = (q: Record<string, string>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v.trim() !== ''));
const cursor = z.coerce.number({ error: 'a page cursor is a reader id' }).int().positive('a page cursor is a reader id').optional();
const listSchema = readerFilterSchema.extend({ before: cursor, after: cursor });

const bulkSchema = z.object({
  emails: z.string({ error: 'Paste the addresses' }).max(1_000_000, 'Too many addresses: import a CSV instead'),
  tags: z
    .string({ error: 'Name the tags' })
    .transform((v) => v.split(/[\s,;]+/).filter(Boolean))
    .pipe(tagsField.refine((t) => t.length > 0, 'Name at least one tag')),
  action: z.enum(['add', 'remove'], { error: 'Choose to add or remove the tags' }),
});

/** The filter as a query string, for pagination links and the export (which reads the same filter). */
export const filterQuery = (f: ReaderFilter, extra: Record<string, string> = {}) =>
  new URLSearchParams(blankless({ q: f.q ?? '', status: f.status ?? '', topic: f.topic ?? '', tag: f.tag ?? '', source: f.source ?? '', ...extra })).toString();

/**
 * /admin/readers: search and filter the readers (the same ReaderFilter as the API's list and
 * export, so "export what I see" exports exactly that), a page at a time, and bulk tag or untag
 * by pasted addresses. The export link is the API's streamed export, audited by the API guard.
 */
export function readerListRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const zone = deps.config.siteTimezone;

  app.get('/', async (c) => {
    const admin = adminOf(c);
    const args = parseOr400(listSchema, blankless(c.req.query()));
    const { before, after, ...filter } = args;
    const [found, counts] = await Promise.all([
      readerPage(deps.db, { ...filter, limit: READERS_PAGE, before, after }),
      readersByStatus(deps.db),
    ]);
    const { rows } = found;
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    const filtered = Object.values(filter).some((v) => v !== undefined);
    // No filter, or a status alone: the exact figure is already there. Otherwise the capped count.
    const statusOnly = Object.entries(filter).every(([k, v]) => v === undefined || k === 'status');
    const exact = statusOnly ? (filter.status ? counts[filter.status] : all) : null;
    const total = exact ?? found.matched;
    const capped = exact === null && found.capped;
    const paged = found.older !== null || found.newer !== null;
    return c.html(
      <DeskLayout title="Readers" siteName={deps.config.siteName} section="readers" admin={admin} flash={takeFlash(c)}>
        <div class="title-row">
          <h1>Readers</h1>
          {hasRole(admin, 'editor') && (
            <a class="button secondary" href="/admin/readers/import">
              Import a list…
            </a>
          )}
        </div>
        <section class="card" aria-label="Readers by status">
        <ul class="figures">
          <li>
            <strong>{all.toLocaleString('en')}</strong>
            <span>readers in all</span>
          </li>
          {subscriberStatuses.map((s) => (
            <li>
              <strong>{counts[s].toLocaleString('en')}</strong>
              <span>
                <a href={`/admin/readers?status=${s}`}>{s}</a>
              </span>
            </li>
          ))}
        </ul>
        </section>
        <form method="get" action="/admin/readers" class="card filters" role="search" aria-label="Find readers">
          <div class="filter-grid">
            <div class="wide">
              <label for="f-q">Address or name</label>
              <input id="f-q" name="q" type="search" value={filter.q ?? ''} maxlength={200} placeholder="the start of an address, a domain or a name" />
            </div>
            <div>
              <label for="f-status">Status</label>
              <select id="f-status" name="status">
                <option value="">any</option>
                {subscriberStatuses.map((s) => (
                  <option value={s} selected={filter.status === s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="f-topic">Topic</label>
              <select id="f-topic" name="topic">
                <option value="">any</option>
                {topics.map((t) => (
                  <option value={t} selected={filter.topic === t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="f-tag">Tag</label>
              <input id="f-tag" name="tag" type="text" value={filter.tag ?? ''} maxlength={40} />
            </div>
            <div class="wide">
              <label for="f-source">
                Source article <span class="hint">its address, as the sign-up recorded it</span>
              </label>
              <input id="f-source" name="source" type="text" value={filter.source ?? ''} maxlength={2000} placeholder="https://…" />
            </div>
          </div>
          <div class="actions">
            <button type="submit">Find</button>
            {filtered && (
              <a class="button secondary" href="/admin/readers">
                Clear
              </a>
            )}
            <a class="button secondary" href={`/admin/api/subscribers/export${filtered ? `?${filterQuery(filter)}` : ''}`} download>
              Export {filtered ? 'these' : 'all'} as CSV
            </a>
          </div>
        </form>
        <section class="card" aria-labelledby="list-h">
          <h2 id="list-h" data-total={capped ? `${READER_COUNT_CAP}+` : total}>
            {total === 0
              ? 'No readers match'
              : `${capped ? `More than ${READER_COUNT_CAP.toLocaleString('en')}` : total.toLocaleString('en')} ${total === 1 && !capped ? 'reader' : 'readers'}${filtered ? ' match' : ''}${paged && rows.length ? ` · ${rows.length} shown, newest first` : ''}`}
          </h2>
          {rows.length > 0 && (
            <div class="table-wrap">
              <table class="readers">
                <thead>
                  <tr>
                    <th scope="col">Reader</th>
                    <th scope="col">Status</th>
                    <th scope="col">Topics</th>
                    <th scope="col">Tags</th>
                    <th scope="col">Since</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr>
                      <td>
                        <a href={`/admin/readers/${r.id}`}>{r.email}</a>
                        {r.name && <span class="muted small block">{r.name}</span>}
                      </td>
                      <td>
                        <span class={`badge r-${r.status}`}>{r.status}</span>
                      </td>
                      <td class="small">{topicList(r).join(', ') || '–'}</td>
                      <td class="small">{r.tags.join(', ')}</td>
                      <td class="small nowrap">{formatInZone(r.consentAt ?? r.createdAt, zone).slice(0, 10)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {paged && (
            <nav class="actions pager" aria-label="Pages">
              {found.newer !== null && (
                <a class="button secondary" rel="prev" href={`/admin/readers?${filterQuery(filter, { after: String(found.newer) })}`}>
                  ← Newer
                </a>
              )}
              {found.older !== null && (
                <a class="button secondary" rel="next" href={`/admin/readers?${filterQuery(filter, { before: String(found.older) })}`}>
                  Older →
                </a>
              )}
            </nav>
          )}
        </section>
        {hasRole(admin, 'editor') && (
          <form method="post" action="/admin/readers/tags" class="card form-card" aria-labelledby="bulk-h">
            <Csrf admin={admin} />
            <h2 id="bulk-h">Tag or untag readers by address</h2>
            <label for="b-emails">
              Addresses <span class="hint">Paste a column from a spreadsheet: one per line, or separated by commas. At most {BULK_MAX_ADDRESSES.toLocaleString('en')}.</span>
            </label>
            <textarea id="b-emails" name="emails" rows={5} required></textarea>
            <label for="b-tags">
              Tags <span class="hint">For example donor; several separated by commas.</span>
            </label>
            <input id="b-tags" name="tags" type="text" required maxlength={900} />
            <fieldset class="plain-fieldset">
              <legend class="visually-hidden">Add or remove</legend>
              <label class="check">
                <input type="radio" name="action" value="add" checked /> Add these tags
              </label>
              <label class="check">
                <input type="radio" name="action" value="remove" /> Remove these tags
              </label>
            </fieldset>
            <div class="actions">
              <button type="submit">Apply to these readers</button>
            </div>
          </form>
        )}
      </DeskLayout>,
    );
  });

  app.post('/tags', async (c) => {
    const admin = requireRole(c, 'editor');
    const { data } = await readBody(c);
    return deskAction(c, '/admin/readers', async () => {
      const input = parseOr400(bulkSchema, data);
      const { emails, invalid } = pastedAddresses(input.emails);
      if (emails.length > BULK_MAX_ADDRESSES) throw new AppError('bad_request', `At most ${BULK_MAX_ADDRESSES} addresses at once; import a CSV for more.`);
      if (!emails.length) throw new AppError('bad_request', 'None of the pasted text is an email address.');
      const tags = input.tags;
      const result = await bulkTag(deps.db, { emails, add: input.action === 'add' ? tags : [], remove: input.action === 'remove' ? tags : [], now: deps.now() });
      await recordAudit(deps.db, { actor: admin.actor, action: input.action === 'add' ? 'subscribers.tagged' : 'subscribers.untagged', target: 'subscribers', detail: { tags, matched: result.matched, changed: result.changed }, at: deps.now() });
      const missing = result.notFound.length + invalid.length;
      const text =
        `${input.action === 'add' ? 'Tagged' : 'Untagged'} ${result.changed} of ${result.matched} readers found (${tags.join(', ')}).` +
        (missing ? ` ${missing} not found or not addresses: ${[...invalid, ...result.notFound].slice(0, 5).join(', ')}${missing > 5 ? '…' : ''}` : '');
      return redirectWith(c, `/admin/readers${tags.length === 1 && input.action === 'add' ? `?tag=${tags[0]}` : ''}`, { kind: missing ? 'warn' : 'ok', text });
    });
  });
  return app;
}
