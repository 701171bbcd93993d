import type { MjmlOptions, MjmlOutput } from 'mjml';

/**
 * `mjml` for the Workers build. The `mjml` package reads files and loads Node modules, so
 * wrangler.toml (`[alias]`) and the workers test project point the `mjml` import of
 * src/emails/mjml.ts here, and compileMjml keeps one API on both runtimes.
 *
 * `mjml-browser` is the same compiler bundled for browsers, with the same options, promise and
 * validation errors. It expects a browser `window`, which workerd has not got. It is imported on
 * first use rather than at start-up: it is the largest module in the bundle, and a Worker's
 * start-up has a CPU budget of its own that most requests never need it for.
 */
export default async function mjml2html(source: string, options?: MjmlOptions): Promise<MjmlOutput> {
  const global = globalThis as { window?: unknown };
  global.window ??= globalThis;
  const { default: compile } = await import('mjml-browser');
  return compile(source, options);
}
