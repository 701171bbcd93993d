import mjml2html, { type MjmlValidationError } from 'mjml';
import { memoised } from './render-memo';

/**
 * MJML bodies of custom campaigns, compiled with `mjml` 5 on Node. The Workers build resolves the
 * `mjml` import to src/emails/mjml-workers.ts (mjml-browser), through wrangler.toml's [alias],
 * so this function and its results are the same on both runtimes.
 */

export interface MjmlError {
  /** 1-based line in the source, or null when MJML could not parse the document at all. */
  line: number | null;
  /** MJML's own message, e.g. "Attribute foo is illegal". */
  message: string;
}

export type MjmlResult =
  | { ok: true; html: string; /** problems `soft` validation let through */ warnings: MjmlError[] }
  | { ok: false; errors: MjmlError[] };

export interface CompileMjmlOptions {
  /** `strict` (default) refuses invalid MJML; `soft` compiles it and reports warnings. */
  validate?: 'strict' | 'soft';
}

const toError = (e: MjmlValidationError): MjmlError => ({ line: e.line ?? null, message: e.message });

const hasValidationErrors = (e: unknown): e is { errors: MjmlValidationError[] } =>
  typeof e === 'object' && e !== null && Array.isArray((e as { errors?: unknown }).errors);

/**
 * Compiling takes tens of milliseconds and a custom campaign is compiled on every save, preview
 * and send page: the last few results are remembered by source (src/emails/render-memo.ts).
 */
export async function compileMjml(source: string, options: CompileMjmlOptions = {}): Promise<MjmlResult> {
  return structuredClone(await compiled(`${options.validate ?? 'strict'}\n${source}`));
}

const compiled = memoised((key) => {
  const at = key.indexOf('\n');
  return compileAfresh(key.slice(at + 1), { validate: key.slice(0, at) as 'strict' | 'soft' });
});

async function compileAfresh(source: string, options: CompileMjmlOptions): Promise<MjmlResult> {
  if (!/<mjml[\s>]/.test(source)) {
    return { ok: false, errors: [{ line: null, message: 'The body must be an MJML document starting with <mjml>.' }] };
  }
  try {
    const out = await mjml2html(source, {
      validationLevel: options.validate ?? 'strict',
      ignoreIncludes: true,
      // No implicit web fonts: a font <link> would tell a third party who opened the email.
      fonts: {},
    });
    return { ok: true, html: out.html, warnings: out.errors.map(toError) };
  } catch (e) {
    if (hasValidationErrors(e) && e.errors.length > 0) return { ok: false, errors: e.errors.map(toError) };
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, errors: [{ line: null, message }] };
  }
}

const COMMENT = /<!--[\s\S]*?-->/g;
const UNSUBSCRIBE_HREF = /\bhref\s*=\s*(["'])\s*\{\{\s*unsubscribe_url\s*\}\}\s*\1/;

/**
 * Whether the MJML links to the reader's unsubscribe URL: `href="{{unsubscribe_url}}"` on an
 * <a> or <mj-button>, outside comments. A custom campaign without it cannot be sent.
 */
export function hasUnsubscribePlaceholder(source: string): boolean {
  return UNSUBSCRIBE_HREF.test(source.replace(COMMENT, ''));
}
