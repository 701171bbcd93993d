import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { getCampaign } from '../../campaigns/queries';

/** The campaign a desk URL names, or a 404. */
export async function loadCampaign(deps: Pick<Deps, 'db'>, raw: string | undefined): Promise<Campaign> {
  const campaign = raw && /^\d{1,9}$/.test(raw) ? await getCampaign(deps.db, Number(raw)) : undefined;
  if (!campaign) throw new AppError('not_found', 'There is no campaign with this number.');
  return campaign;
}

/** Form fields arrive as strings; an empty optional field means "not given". */
export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
export const filled = (v: unknown) => {
  const s = str(v)?.trim();
  return s ? s : undefined;
};
