import { renderGeneric } from '../../campaigns/web-render';
import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { hasUnsubscribePlaceholder } from '../../emails/mjml';
import { AppError } from '../../errors';
import { audienceSize } from './audience';
import { checkLinks, linksOf } from './links';

export type CheckId = 'render' | 'links' | 'placeholders' | 'images' | 'size' | 'subject' | 'unsubscribe' | 'audience';

export interface Check {
  id: CheckId;
  label: string;
  ok: boolean;
  /** Problems an editor may knowingly accept; an empty audience or a broken render cannot be. */
  acknowledgeable: boolean;
  details: string[];
}

export interface Preflight {
  checks: Check[];
  audience: number;
  /** Every check passed or was acknowledged. */
  ready: (acknowledged: Iterable<string>) => boolean;
}

/** Gmail clips a message whose HTML is larger than this (102 KB), hiding the footer. */
export const GMAIL_CLIP_BYTES = 102 * 1024;
export const SUBJECT_RANGE = { min: 10, max: 90 } as const;

const text = (html: string) => html.replace(/<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ');

function placeholderProblems(parts: { subject: string; html: string; text: string }): string[] {
  const out: string[] = [];
  const all = `${parts.subject}\n${text(parts.html)}\n${parts.text}`;
  const braces = [...new Set(all.match(/\{\{[^{}]{0,60}\}\}/g) ?? [])];
  if (braces.length) out.push(`Unfilled placeholders: ${braces.slice(0, 5).join(', ')}`);
  // TK is the newsroom's "to come" mark; capital letters only, as a word of its own.
  if (/(^|[^A-Za-z])TK([^A-Za-z]|$)/.test(all)) out.push('“TK” is still in the text (to come).');
  if (/lorem ipsum/i.test(all)) out.push('“Lorem ipsum” filler text is still in it.');
  return out;
}

function imageProblems(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<img\b[^>]*>/gi)) {
    const tag = m[0];
    const src = /\bsrc\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? '(no src)';
    // 1×1 pixels (open tracking) are not pictures.
    if (/\bwidth\s*=\s*["']?1["'\s>]/i.test(tag) && /\bheight\s*=\s*["']?1["'\s>]/i.test(tag)) continue;
    const missing = [];
    if (!/\balt\s*=\s*["'][^"']+["']/i.test(tag)) missing.push('alt text');
    if (!/\bwidth\s*=/i.test(tag)) missing.push('width');
    if (!/\bheight\s*=/i.test(tag)) missing.push('height');
    if (missing.length) out.push(`${src.slice(0, 120)}: no ${missing.join(', ')}`);
  }
  return out;
}

/**
 * The checklist shown before every send. Rendered as readers will get it (the generic links);
 * links are asked through deps.fetch with a short timeout and a bound on their number.
 */
export async function runPreflight(deps: Pick<Deps, 'db' | 'config' | 'now' | 'fetch'>, campaign: Campaign): Promise<Preflight> {
  const checks: Check[] = [];
  const audience = await audienceSize(deps, campaign);
  let rendered: { subject: string; html: string; text: string } | null = null;
  try {
    rendered = await renderGeneric(deps, campaign);
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    checks.push({ id: 'render', label: 'The email can be built', ok: false, acknowledgeable: false, details: [err.message] });
  }
  if (rendered) {
    const { results, skipped } = await checkLinks(deps, linksOf(rendered.html, new URL(deps.config.publicUrl).origin));
    const broken = results.filter((r) => !r.ok).map((r) => `${r.url} — ${r.status ? `answers ${r.status}` : r.error}`);
    const moved = results.filter((r) => r.ok && r.redirectedTo).map((r) => `${r.url} → goes to another site: ${r.redirectedTo}`);
    checks.push({
      id: 'links',
      label: `Every link answers (${results.length} checked${skipped ? `, ${skipped} more not checked` : ''})`,
      ok: broken.length === 0 && moved.length === 0,
      acknowledgeable: true,
      details: [...broken, ...moved],
    });
    const ph = placeholderProblems(rendered);
    checks.push({ id: 'placeholders', label: 'No unfilled placeholders (TK, {{…}}, lorem ipsum)', ok: ph.length === 0, acknowledgeable: true, details: ph });
    const img = imageProblems(rendered.html);
    checks.push({ id: 'images', label: 'Every image has alt text and a size', ok: img.length === 0, acknowledgeable: true, details: img });
    const bytes = new TextEncoder().encode(rendered.html).length;
    checks.push({
      id: 'size',
      label: `The HTML is under Gmail’s 102 KB clipping limit (${(bytes / 1024).toFixed(1)} KB)`,
      ok: bytes < GMAIL_CLIP_BYTES,
      acknowledgeable: true,
      details: bytes < GMAIL_CLIP_BYTES ? [] : ['Gmail will cut the email off and hide its footer: remove articles or shorten the text.'],
    });
  }
  const len = [...campaign.subject].length;
  checks.push({
    id: 'subject',
    label: `The subject has a sensible length (${len} characters)`,
    ok: len >= SUBJECT_RANGE.min && len <= SUBJECT_RANGE.max,
    acknowledgeable: true,
    details: len < SUBJECT_RANGE.min ? ['Very short subjects look like spam; say what is inside.'] : len > SUBJECT_RANGE.max ? ['Phones show about 40 characters and desktops about 70; the rest is cut.'] : [],
  });
  if (campaign.content.kind === 'custom') {
    const has = hasUnsubscribePlaceholder(campaign.content.mjml);
    checks.push({ id: 'unsubscribe', label: 'The body links to {{unsubscribe_url}}', ok: has, acknowledgeable: false, details: has ? [] : ['Add href="{{unsubscribe_url}}" to a link or button: it cannot be sent without one.'] });
  }
  checks.push({
    id: 'audience',
    label: `The audience is not empty (${audience.toLocaleString('en')} readers)`,
    ok: audience > 0,
    acknowledgeable: false,
    details: audience > 0 ? [] : ['No active reader wants this topic right now.'],
  });
  return {
    checks,
    audience,
    ready: (acknowledged) => {
      const ack = new Set(acknowledged);
      return checks.every((c) => c.ok || (c.acknowledgeable && ack.has(c.id)));
    },
  };
}
