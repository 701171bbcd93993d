/**
 * How a reader's name appears in an email. Templates and the personalisation fast path both go
 * through `displayName`, which is what makes a substituted email byte-identical to one rendered
 * for that reader.
 */

/** What stands in for a missing name: it fits every sentence a name fits ("Dear reader,"). */
export const FALLBACK_NAME = 'reader';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Control characters would be dropped or mangled by email clients and by the text conversion;
// U+200B counts as whitespace for html-to-text but not for JavaScript's \s, so it goes too.
const CONTROL_OR_SPACE = /[\p{Cc}\s\u200B]+/gu;

/**
 * A name as it can be shown: well-formed Unicode, no control characters, whitespace collapsed
 * to single spaces and trimmed (a name with a line break could otherwise break a Subject line or
 * be re-flowed differently in the text part). Blank names become `undefined`.
 */
export function normaliseName(name: string | null | undefined): string | undefined {
  if (!name) return undefined;
  const cleaned = name.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL_OR_SPACE, ' ').trim();
  return cleaned === '' ? undefined : cleaned;
}

/** The name to print, or the fallback. */
export function displayName(name: string | null | undefined): string {
  return normaliseName(name) ?? FALLBACK_NAME;
}
