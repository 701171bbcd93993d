import type { Campaign } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { getCampaign } from '../../campaigns/queries';
import { idParam } from '../../http/fields';

/** The campaign a desk URL names, or a 404. */
export async function loadCampaign(deps: Pick<Deps, 'db'>, raw: string | undefined): Promise<Campaign> {
  const notFound = 'There is no campaign with this number.';
  const campaign = await getCampaign(deps.db, idParam(raw, notFound));
  if (!campaign) throw new AppError('not_found', notFound);
  return campaign;
}

/** Form fields arrive as strings; an empty optional field means "not given". */
export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
export const filled = (v: unknown) => {
  const s = str(v)?.trim();
  return s ? s : undefined;
};
