import * as z from 'zod';
import { singleLine } from '../http/fields';

/** Request bodies of the campaigns API, validated at the edge. */

const httpUrl = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .max(2000, `${field} is too long`)
    .refine((v) => /^https?:\/\//i.test(v) && URL.canParse(v), `${field} must be an http(s) URL`);

const markdown = (field: string, max: number) => z.string({ error: `${field} must be text` }).max(max, `${field} is too long (at most ${max} characters)`);

const subject = singleLine('subject', 200).pipe(z.string().min(1, 'subject must not be empty'));
const id = z.number({ error: 'ids are numbers' }).int().positive();

export const appealBlockSchema = z.strictObject({
  headline: singleLine('appealBlock.headline', 200),
  body: markdown('appealBlock.body', 5000),
  donateUrl: httpUrl('appealBlock.donateUrl'),
  donateLabel: singleLine('appealBlock.donateLabel', 60).optional(),
});

const progressSchema = z.strictObject({
  label: singleLine('progress.label', 200),
  fraction: z.number().min(0).max(1).optional(),
});

export const digestCreateSchema = z.strictObject({
  kind: z.literal('digest'),
  subject: subject.optional(),
  preheader: singleLine('preheader', 200).optional(),
  intro: markdown('intro', 20_000).optional(),
  articleIds: z.array(id).max(100, 'a digest holds at most 100 articles').optional(),
  featuredId: id.nullable().optional(),
  appealBlock: appealBlockSchema.nullable().optional(),
});

export const appealCreateSchema = z.strictObject({
  kind: z.literal('appeal'),
  subject,
  preheader: singleLine('preheader', 200).optional(),
  headline: singleLine('headline', 200).optional(),
  body: markdown('body', 50_000).pipe(z.string().min(1, 'body must not be empty')),
  donateUrl: httpUrl('donateUrl'),
  donateLabel: singleLine('donateLabel', 60).optional(),
  progress: progressSchema.nullable().optional(),
  excludeDonors: z.boolean().optional(),
});

export const customCreateSchema = z.strictObject({
  kind: z.literal('custom'),
  subject,
  preheader: singleLine('preheader', 200).optional(),
  mjml: z.string({ error: 'mjml is required' }).min(1, 'mjml must not be empty').max(500_000, 'mjml is too long'),
  topic: z.enum(['digest', 'appeals'], { error: 'topic must be "digest" or "appeals"' }),
});

export const createSchema = z.discriminatedUnion('kind', [digestCreateSchema, appealCreateSchema, customCreateSchema], {
  error: 'kind must be "digest", "appeal" or "custom"',
});
export type CreateCampaignInput = z.output<typeof createSchema>;

/** PATCH: the same fields as create for the campaign's kind, all optional, kind unchangeable. */
export const patchSchemas = {
  digest: digestCreateSchema.omit({ kind: true }).partial(),
  appeal: appealCreateSchema.omit({ kind: true }).partial(),
  custom: customCreateSchema.omit({ kind: true }).partial(),
};
export type PatchCampaignInput = z.output<(typeof patchSchemas)[keyof typeof patchSchemas]>;

export const sendSchema = z.strictObject({
  at: z.iso.datetime({ offset: true, error: 'at must be an ISO 8601 time, e.g. 2026-11-30T07:00:00Z' }).optional(),
});

export const testSchema = z.strictObject({
  to: z.array(z.string(), { error: 'to must be a list of addresses' }).min(1, 'to needs at least one address').max(10, 'at most 10 test addresses'),
});
