import { moveCampaign } from '../campaigns/status';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { dueCampaignIds } from './chunk-queries';
import { startSend } from './start-send';

type StartDueDeps = Pick<Deps, 'db' | 'config' | 'now' | 'logger' | 'jobs'>;

/**
 * Starts scheduled campaigns whose time has come (the Worker's cron, Node's send loop). A campaign
 * that cannot start is failed, with the reason.
 */
export async function startDueCampaigns(deps: StartDueDeps): Promise<void> {
  for (const id of await dueCampaignIds(deps.db, deps.now())) {
    try {
      await startSend(deps, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        await moveCampaign(deps.db, id, 'failToStart', { now: deps.now(), reason: err.message });
        deps.logger.error('scheduled campaign could not start', { campaignId: id, reason: err.message });
      } else throw err;
    }
  }
}
