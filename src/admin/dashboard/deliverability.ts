import type { CampaignOutcome } from './queries';

/**
 * Gmail's and Yahoo's sender guidelines (2024): keep the spam-complaint rate below 0.1% and never
 * reach 0.3%. Broadside's complaint guard holds appeals at 0.3% (COMPLAINT_THRESHOLD).
 * Neither publishes a bounce limit; 2% is the usual industry guidance, shown as such.
 */
export const COMPLAINT_WARN = 0.001;
export const COMPLAINT_HOLD = 0.003;
export const BOUNCE_WARN = 0.02;

export type Level = 'ok' | 'warn' | 'bad';

export const rate = (n: number, d: number) => (d > 0 ? n / d : null);

/** Complaints are counted against delivered mail once delivery events arrive, else against sent. */
export const complaintBase = (o: Pick<CampaignOutcome, 'delivered' | 'sent'>) => (o.delivered > 0 ? o.delivered : o.sent);

export function complaintLevel(r: number | null): Level {
  if (r === null) return 'ok';
  if (r >= COMPLAINT_HOLD) return 'bad';
  if (r >= COMPLAINT_WARN) return 'warn';
  return 'ok';
}

export const bounceLevel = (r: number | null): Level => (r !== null && r >= BOUNCE_WARN ? 'warn' : 'ok');

export const percent = (r: number | null, digits = 2) => (r === null ? '–' : `${(r * 100).toFixed(digits)}%`);

/** The same numbers over several campaigns together. */
export function overall(outcomes: CampaignOutcome[]) {
  const sum = (k: keyof CampaignOutcome) => outcomes.reduce((s, o) => s + Number(o[k]), 0);
  const sent = sum('sent');
  const delivered = sum('delivered');
  const complaints = rate(sum('complained'), delivered > 0 ? delivered : sent);
  const bounces = rate(sum('bounced'), sent);
  return { sent, complaints, bounces, complaintLevel: complaintLevel(complaints), bounceLevel: bounceLevel(bounces) };
}
