// `mjml-browser` ships no types; its API is that of `mjml` 5 (see mjml-module.d.ts).
declare module 'mjml-browser' {
  import type { MjmlOptions, MjmlOutput } from 'mjml';
  export default function mjml2html(source: string, options?: MjmlOptions): Promise<MjmlOutput>;
}
