import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { MessagePage } from '../pages/message-page';

/** Browsers (forms, links in emails) get a page; API clients get JSON. */
export const wantsHtml = (c: Context) => {
  if (c.req.path.startsWith('/admin/api') || c.req.path.startsWith('/webhooks')) return false;
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
};

/**
 * The one place an error becomes a response. AppError carries its status; Hono's own
 * HTTPException (body limit, etc.) keeps its status; anything else is a 500 whose details go to
 * the log, never to the client.
 */
export function onError(deps: Pick<Deps, 'logger' | 'config'>) {
  return (err: Error, c: Context) => {
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (err instanceof HTTPException && err.status === 413)
      appError = new AppError('payload_too_large', 'The request body is too large.');
    else if (err instanceof HTTPException && err.status < 500)
      appError = new AppError(err.status === 401 ? 'unauthorized' : 'bad_request', err.message || 'Bad request');
    else {
      deps.logger.error('unhandled error', { path: c.req.path, error: err.stack ?? String(err) });
      appError = new AppError('internal', 'Something went wrong on our side. Please try again later.');
    }
    if (wantsHtml(c)) {
      return c.html(
        <MessagePage siteName={deps.config.siteName} siteUrl={deps.config.siteUrl} title={titleOf(appError)}>
          <p>{appError.message}</p>
        </MessagePage>,
        appError.status,
      );
    }
    return c.json({ error: { code: appError.code, message: appError.message, ...appError.details } }, appError.status);
  };
}

function titleOf(e: AppError): string {
  switch (e.code) {
    case 'not_found':
      return 'Link not valid';
    case 'too_many_requests':
      return 'Please wait a moment';
    case 'internal':
    case 'unavailable':
      return 'Something went wrong';
    default:
      return 'That did not work';
  }
}
