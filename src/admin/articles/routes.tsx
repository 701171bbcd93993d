import { Hono } from 'hono';
import * as z from 'zod';
import { addArticle, listArticles } from '../../articles/queries';
import { refreshFeed } from '../../articles/refresh-feed';
import { safeUrl } from '../../articles/urls';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { singleLine } from '../../http/fields';
import { parseOr400, readBody } from '../../http/read-body';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { deskAction, redirectWith, takeFlash } from '../flash';
import { Csrf, DeskLayout, PostButton } from '../layout';
import { formatInZone } from '../time';
import { loadRefreshStatus, recordRefresh } from './refresh-status';

const url = (field: string) =>
  z.string({ error: `${field} is required` }).transform((v, ctx) => {
    const u = safeUrl(v);
    if (!u) ctx.addIssue({ code: 'custom', message: `${field} must be an http(s) address` });
    return u ?? '';
  });
const optional = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const addSchema = z.object({
  url: url('The link'),
  title: singleLine('The title', 300).pipe(z.string().min(1, 'The title is required')),
  excerpt: z.preprocess(optional, z.string().max(1000, 'The excerpt is at most 1000 characters').optional()),
  author: z.preprocess(optional, singleLine('The author', 200).optional()),
  imageUrl: z.preprocess(optional, url('The image address').optional()),
  imageAlt: z.preprocess(optional, singleLine('The image description', 300).optional()),
  publishedOn: z.preprocess(optional, z.iso.date({ error: 'The date must look like 2026-11-30' }).optional()),
});

/** /admin/articles: what the feed brought, when it was last read, refresh now, add by hand. */
export function articleDeskRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const zone = deps.config.siteTimezone;

  app.get('/', async (c) => {
    const admin = adminOf(c);
    const [{ rows, total }, status] = await Promise.all([listArticles(deps.db, { limit: 50, offset: 0 }), loadRefreshStatus(deps.db)]);
    return c.html(
      <DeskLayout title="Articles" siteName={deps.config.siteName} section="articles" admin={admin} flash={takeFlash(c)}>
        <h1>Articles</h1>
        <div class="two">
          <section class="card" aria-labelledby="feed-h">
            <h2 id="feed-h">The site’s feed</h2>
            {deps.config.feedUrl ? (
              <>
                <p style="overflow-wrap:anywhere">
                  <a href={deps.config.feedUrl}>{deps.config.feedUrl}</a>
                </p>
                <p>
                  {status ? (
                    <>
                      Last read {formatInZone(status.at, zone)}:{' '}
                      {status.ok ? (
                        <strong class="level-ok">{status.notModified ? 'nothing new' : `${status.added ?? 0} new, ${status.updated ?? 0} updated`}</strong>
                      ) : (
                        <strong class="level-bad">failed</strong>
                      )}
                    </>
                  ) : (
                    'Not read yet.'
                  )}
                </p>
                {status && !status.ok && (
                  <p class="flash bad">
                    Last error: {status.error}
                    {status.lastOkAt ? ` Last worked ${formatInZone(status.lastOkAt, zone)}.` : ''}
                  </p>
                )}
                {hasRole(admin, 'editor') && <PostButton admin={admin} action="/admin/articles/refresh" label="Refresh now" class="secondary" />}
              </>
            ) : (
              <p class="muted">FEED_URL is not set, so articles are only added by hand.</p>
            )}
          </section>
          {hasRole(admin, 'editor') && (
            <form method="post" action="/admin/articles" class="card" aria-labelledby="add-h">
              <Csrf admin={admin} />
              <h2 id="add-h">Add an article by hand</h2>
              <label for="a-url">Link</label>
              <input id="a-url" name="url" type="url" required placeholder="https://…" />
              <label for="a-title">Title</label>
              <input id="a-title" name="title" type="text" required maxlength={300} />
              <label for="a-excerpt">Excerpt</label>
              <textarea id="a-excerpt" name="excerpt" rows={3} maxlength={1000} style="font:inherit"></textarea>
              <label for="a-author">Author</label>
              <input id="a-author" name="author" type="text" maxlength={200} />
              <label for="a-image">Image address</label>
              <input id="a-image" name="imageUrl" type="url" placeholder="https://…/photo.jpg" />
              <label for="a-alt">Image description (alt text)</label>
              <input id="a-alt" name="imageAlt" type="text" maxlength={300} />
              <label for="a-date">Published on</label>
              <input id="a-date" name="publishedOn" type="date" />
              <div class="actions">
                <button type="submit">Add article</button>
              </div>
            </form>
          )}
        </div>
        <section class="card table-wrap" aria-labelledby="list-h">
          <h2 id="list-h">Newest {Math.min(50, total)} of {total}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Article</th>
                <th scope="col">Published</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr>
                  <td>
                    <a href={a.url}>{a.title}</a>
                    {a.author && <span class="muted small"> · {a.author}</span>}
                  </td>
                  <td class="small">{formatInZone(a.publishedAt, zone)}</td>
                  <td class="small">{a.source === 'manual' ? 'by hand' : 'feed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </DeskLayout>,
    );
  });

  app.post('/', async (c) => {
    requireRole(c, 'editor');
    const { data } = await readBody(c);
    return deskAction(c, '/admin/articles', async () => {
      const input = parseOr400(addSchema, data);
      const now = deps.now();
      const { publishedOn, ...rest } = input;
      const row = await addArticle(deps.db, { ...rest, publishedAt: publishedOn ? Date.parse(publishedOn) : now }, now);
      return redirectWith(c, '/admin/articles', { kind: 'ok', text: `Added “${row.title}”.` });
    });
  });

  app.post('/refresh', async (c) => {
    requireRole(c, 'editor');
    const feedUrl = deps.config.feedUrl;
    if (!feedUrl) throw new AppError('bad_request', 'FEED_URL is not configured.');
    const report = await refreshFeed({ db: deps.db, feedUrl, fetch: deps.fetch, now: deps.now, logger: deps.logger });
    await recordRefresh(deps.db, report, deps.now());
    return redirectWith(
      c,
      '/admin/articles',
      report.ok ? { kind: 'ok', text: report.notModified ? 'The feed has nothing new.' : `Feed read: ${report.added} new, ${report.updated} updated.` } : { kind: 'bad', text: `The feed could not be read: ${report.error}` },
    );
  });
  return app;
}
