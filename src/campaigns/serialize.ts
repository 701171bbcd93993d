import type { Campaign } from '../db/schema';
import type { DeliveryCounts } from './queries';
import { isoOrNull } from '../timing';


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
    scheduledAt: isoOrNull(c.scheduledAt),
    startedAt: isoOrNull(c.startedAt),
    finishedAt: isoOrNull(c.finishedAt),
    createdAt: isoOrNull(c.createdAt),
    updatedAt: isoOrNull(c.updatedAt),
  };
};
