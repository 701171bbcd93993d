import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFeedServer } from './feed-server';
import { fixture } from './fixtures';

/**
 * A WordPress 6.x site on 127.0.0.1, answering the way WordPress behind Apache does:
 * - every page carries `Link: <…/wp-json/>; rel="https://api.w.org/"`, the home page also the tag;
 * - /wp-json/wp/v2/posts pages by 10 with X-WP-Total, X-WP-TotalPages and Link rel="next"/"prev",
 *   and leaves `_embedded` out unless `_embed` is asked for;
 * - /feed/ lists the 10 newest posts, without featured images, emoji as wp-smiley images;
 * - a trashed post is gone from both and its permalink answers 404;
 * - ETags gain Apache mod_deflate's "-gzip" suffix, and WordPress answers 304 only when every
 *   validator sent matches its own (an If-None-Match with the suffix never does).
 */
export const SITE = 'https://northgate.example';

export interface WordpressSiteOptions {
  /** Post ids in the trash. */
  trashed?: Set<number>;
  /** false: a security plugin answers 401 on the REST API, and the api.w.org link is gone. */
  rest?: boolean;
}

interface Post {
  id: number;
  link: string;
  modified_gmt: string;
  _embedded?: unknown;
}

export async function startWordpressSite(options: WordpressSiteOptions = {}) {
  const state = { trashed: options.trashed ?? new Set<number>(), rest: options.rest ?? true, requests: [] as string[], fullBodies: 0 };
  let origin = '';
  const local = (text: string) => text.replaceAll(SITE, origin).replaceAll(SITE.replaceAll('/', '\\/'), origin.replaceAll('/', '\\/'));
  const posts = () => (JSON.parse(local(fixture('wordpress-6/posts.json'))) as Post[]).filter((p) => !state.trashed.has(p.id));
  const apiLink = () => (state.rest ? { link: `<${origin}/wp-json/>; rel="https://api.w.org/"` } : {});

  /** WordPress's conditional GET (wp-includes/class-wp.php, send_headers), behind Apache gzip. */
  const conditional = (req: IncomingMessage, res: ServerResponse, lastModified: string, type: string, body: string) => {
    const etag = `"${createHash('md5').update(lastModified).digest('hex')}"`;
    const clientEtag = req.headers['if-none-match'];
    const clientModified = req.headers['if-modified-since'];
    const modifiedOk = clientModified ? Date.parse(clientModified) >= Date.parse(lastModified) : false;
    const etagOk = clientEtag === etag;
    const fresh = clientEtag && clientModified ? modifiedOk && etagOk : modifiedOk || etagOk;
    const headers = { 'content-type': type, etag: etag.replace(/"$/, '-gzip"'), 'last-modified': lastModified, vary: 'Accept-Encoding', ...apiLink() };
    if (fresh) return void res.writeHead(304, headers).end();
    state.fullBodies++;
    res.writeHead(200, headers).end(body);
  };
  const lastModifiedOf = (list: Post[]) => new Date(Math.max(...list.map((p) => Date.parse(`${p.modified_gmt}Z`)))).toUTCString();

  const routes = {
    '/': (_req: IncomingMessage, res: ServerResponse) => {
      const html = local(fixture('wordpress-6/home.html'));
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', ...apiLink() }).end(state.rest ? html : html.replace(/<link rel="https:\/\/api\.w\.org\/"[^>]*>/, ''));
    },
    '/feed/': (req: IncomingMessage, res: ServerResponse) => {
      const shown = posts().slice(0, 10);
      const kept = new Set(shown.map((p) => `?p=${p.id}<`));
      const xml = local(fixture('wordpress-6/feed.xml')).replace(/\t<item>[\s\S]*?<\/item>\n?/g, (item) =>
        [...kept].some((k) => item.includes(k)) ? item : '',
      );
      conditional(req, res, lastModifiedOf(shown), 'application/rss+xml; charset=UTF-8', xml);
    },
    '/wp-json/wp/v2/posts': (req: IncomingMessage, res: ServerResponse) => {
      if (!state.rest) {
        return void res
          .writeHead(401, { 'content-type': 'application/json; charset=UTF-8' })
          .end('{"code":"rest_login_required","message":"REST API restricted to authenticated users.","data":{"status":401}}');
      }
      const url = new URL(req.url ?? '/', origin);
      const perPage = Number(url.searchParams.get('per_page') ?? 10);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = posts();
      const totalPages = Math.ceil(all.length / perPage);
      if (page > totalPages) {
        return void res
          .writeHead(400, { 'content-type': 'application/json; charset=UTF-8' })
          .end('{"code":"rest_post_invalid_page_number","message":"The page number requested is larger than the number of pages available.","data":{"status":400}}');
      }
      const embed = url.searchParams.has('_embed');
      const shown = all.slice((page - 1) * perPage, page * perPage).map((p) => (embed ? p : { ...p, _embedded: undefined }));
      const pageUrl = (n: number) => {
        const u = new URL(url.href);
        u.searchParams.set('page', String(n));
        return u.href;
      };
      const links = [...(page > 1 ? [`<${pageUrl(page - 1)}>; rel="prev"`] : []), ...(page < totalPages ? [`<${pageUrl(page + 1)}>; rel="next"`] : [])];
      const body = JSON.stringify(shown).replaceAll('/', '\\/');
      res.writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'x-wp-total': String(all.length),
        'x-wp-totalpages': String(totalPages),
        ...(links.length ? { link: links.join(', ') } : {}),
        'allow': 'GET',
      });
      state.fullBodies++;
      res.end(body);
    },
  };
  const server = await startFeedServer(
    new Proxy(routes as Record<string, (req: IncomingMessage, res: ServerResponse) => void>, {
      get: (target, path: string) => {
        const handler = target[path];
        return (req: IncomingMessage, res: ServerResponse) => {
          state.requests.push(`${req.method} ${req.url}`);
          if (handler) return handler(req, res);
          // Permalinks: /YYYY/MM/DD/slug/ of a published post is its page; anything else is WordPress's 404.
          const post = posts().find((p) => new URL(p.link).pathname === path);
          if (post) return void res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8', ...apiLink() }).end('<!DOCTYPE html><title>Post</title>');
          res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8', ...apiLink() }).end('<!DOCTYPE html><title>Page not found</title>');
        };
      },
    }),
  );
  origin = server.url('');
  return { ...server, state, origin };
}
