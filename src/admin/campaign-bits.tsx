import type { Campaign } from '../db/schema';
import { formatInZone } from './time';

/** A campaign's status as a badge (colour and text: colour alone says nothing to some readers). */
export const StatusBadge = ({ status }: { status: string }) => <span class={`badge s-${status}`}>{status}</span>;

export const kindLabel = (kind: string) => ({ digest: 'Digest', appeal: 'Appeal', custom: 'Custom' })[kind] ?? kind;

export function whenOf(c: Pick<Campaign, 'status' | 'scheduledAt' | 'startedAt' | 'finishedAt' | 'createdAt'>, zone: string): string {
  if (c.status === 'scheduled' && c.scheduledAt) return `scheduled for ${formatInZone(c.scheduledAt, zone)}`;
  if (c.finishedAt) return `finished ${formatInZone(c.finishedAt, zone)}`;
  if (c.startedAt) return `started ${formatInZone(c.startedAt, zone)}`;
  return `created ${formatInZone(c.createdAt, zone)}`;
}

export const campaignHref = (c: Pick<Campaign, 'id' | 'kind'>) => `/admin/campaigns/${c.id}`;
