import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '../errors';
import type { Flash } from './layout';

const FLASH_COOKIE = 'broadside_flash';

/**
 * Post → redirect → get: an action's outcome travels to the next page in a short-lived cookie
 * (not the URL, so a link cannot make the desk show a message it never said), shown once in the
 * page's role=status region.
 */
export function redirectWith(c: Context, location: string, flash: Flash) {
  setCookie(c, FLASH_COOKIE, JSON.stringify(flash), { httpOnly: true, sameSite: 'Strict', path: '/admin', maxAge: 60 });
  return c.redirect(location, 303);
}

export function takeFlash(c: Context): Flash | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLASH_COOKIE, { path: '/admin' });
  try {
    const v = JSON.parse(raw) as Flash;
    return (v.kind === 'ok' || v.kind === 'bad' || v.kind === 'warn') && typeof v.text === 'string' ? { kind: v.kind, text: v.text.slice(0, 500) } : null;
  } catch {
    return null;
  }
}

/**
 * Runs a desk action; a refusal the editor can act on (AppError below 500) goes back to `back`
 * as a message instead of an error page. Anything else is a real error and goes to onError.
 */
export async function deskAction(c: Context, back: string, action: () => Promise<Response>): Promise<Response> {
  try {
    return await action();
  } catch (err) {
    return redirectWith(c, back, refusal(err));
  }
}

/** A refusal the editor can act on as a message (MJML errors with their lines); rethrows the rest. */
export function refusal(err: unknown): Flash {
  if (err instanceof AppError && err.status < 500 && err.code !== 'forbidden' && err.code !== 'unauthorized') {
    const details = err.details?.errors as { line?: number; message: string }[] | undefined;
    const extra = details?.length ? ` ${details.slice(0, 5).map((e) => (e.line ? `Line ${e.line}: ${e.message}` : e.message)).join(' ')}` : '';
    return { kind: 'bad', text: err.message + extra };
  }
  throw err;
}
