import type { Campaign } from '../db/schema';
import type { DeliveryCounts } from './queries';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A campaign as the admin API shows it; `counts` come from the ledger. */
export const serializeCampaign = (c: Campaign, counts: DeliveryCounts) => {
  const { kind: _kind, ...content } = c.content;
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    statusReason: c.statusReason,
    subject: c.subject,
    preheader: c.preheader,
    topic: c.topic,
    ...content,
    excludeDonors: c.kind === 'appeal' ? c.excludeDonors : undefined,
    isoWeek: c.isoWeek,
    counts: { audience: c.audienceCount ?? counts.audience, queued: counts.queued, sent: counts.sent, failed: counts.failed, skipped: counts.skipped },
    scheduledAt: iso(c.scheduledAt),
    startedAt: iso(c.startedAt),
    finishedAt: iso(c.finishedAt),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
};
