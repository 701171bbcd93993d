// `mjml` ships no types; this is the part of its v5 API that src/emails/mjml.ts uses.
declare module 'mjml' {
  export interface MjmlValidationError {
    line: number;
    message: string;
    tagName: string;
    formattedMessage: string;
  }
  export interface MjmlOptions {
    validationLevel?: 'strict' | 'soft' | 'skip';
    /** mj-include reads files from disk; Broadside never wants that. */
    ignoreIncludes?: boolean;
    fonts?: Record<string, string>;
    keepComments?: boolean;
    minify?: boolean;
  }
  export interface MjmlOutput {
    html: string;
    errors: MjmlValidationError[];
  }
  export default function mjml2html(source: string, options?: MjmlOptions): Promise<MjmlOutput>;
}
