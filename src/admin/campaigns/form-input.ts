import type { Campaign } from '../../db/schema';
import { AppError } from '../../errors';
import { filled, str } from './load';

/**
 * Turns a desk form into the campaigns API's own create/patch body, so the desk is validated by
 * the same zod schemas (src/campaigns/content.ts) and edited by the same functions as the API.
 */
export function contentInput(kind: Campaign['kind'], f: Record<string, unknown>): Record<string, unknown> {
  const common = { subject: str(f.subject)?.trim(), preheader: str(f.preheader)?.trim() };
  switch (kind) {
    case 'digest':
      return {
        ...common,
        intro: str(f.intro)?.replace(/\r\n/g, '\n') ?? '',
        appealBlock: f.appeal_on
          ? {
              headline: str(f.appeal_headline)?.trim() ?? '',
              body: str(f.appeal_body)?.replace(/\r\n/g, '\n') ?? '',
              donateUrl: filled(f.appeal_donate_url) ?? '',
              donateLabel: filled(f.appeal_donate_label),
            }
          : null,
      };
    case 'appeal': {
      const percent = filled(f.progress_percent);
      const fraction = percent === undefined ? undefined : Number(percent) / 100;
      if (fraction !== undefined && !(fraction >= 0 && fraction <= 1)) throw new AppError('bad_request', 'The progress bar is a percentage from 0 to 100.');
      const label = filled(f.progress_label);
      return {
        ...common,
        headline: filled(f.headline) ?? common.subject,
        body: str(f.body)?.replace(/\r\n/g, '\n') ?? '',
        donateUrl: filled(f.donate_url) ?? '',
        donateLabel: filled(f.donate_label),
        progress: label ? { label, ...(fraction !== undefined ? { fraction } : {}) } : null,
        excludeDonors: !!f.exclude_donors,
      };
    }
    case 'custom':
      return { ...common, mjml: str(f.mjml)?.replace(/\r\n/g, '\n') ?? '', topic: f.topic === 'appeals' ? 'appeals' : 'digest' };
  }
}

/** What the editor typed, shaped as a draft, to show the form again after a refusal. */
export function unsaved(kind: 'appeal' | 'custom', f: Record<string, unknown>): Campaign {
  const input = contentInput(kind, f) as Record<string, any>;
  const content =
    kind === 'custom'
      ? { kind, mjml: input.mjml }
      : { kind, headline: input.headline ?? '', body: input.body, donateUrl: input.donateUrl, donateLabel: input.donateLabel, progress: input.progress };
  return {
    id: 0,
    kind,
    status: 'draft',
    subject: input.subject ?? '',
    preheader: input.preheader ?? null,
    topic: kind === 'custom' ? input.topic : 'appeals',
    content,
    excludeDonors: !!input.excludeDonors,
  } as unknown as Campaign;
}
