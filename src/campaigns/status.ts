import type { CampaignStatus } from '../db/schema';

/**
 * The campaign state machine. draft → scheduled → sending → sent, with paused, cancelled and
 * failed on the side. Anything not listed here is refused with 409.
 */
export const transitions = {
  schedule: ['draft', 'scheduled'],
  start: ['draft', 'scheduled'],
  pause: ['scheduled', 'sending'],
  resume: ['paused'],
  cancel: ['draft', 'scheduled', 'sending', 'paused'],
  edit: ['draft'],
} as const satisfies Record<string, readonly CampaignStatus[]>;

export type CampaignAction = keyof typeof transitions;

export const allowed = (action: CampaignAction, status: CampaignStatus) =>
  (transitions[action] as readonly CampaignStatus[]).includes(status);
