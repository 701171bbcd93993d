import type { Deps } from '../deps';

/**
 * A campaign's public page (the "view in browser" link). On its own so the send path, which
 * puts it in every email, does not load the renderers (react, mjml) to get it.
 */
export const archiveUrl = (config: Pick<Deps['config'], 'publicUrl'>, campaignId: number) => `${config.publicUrl}/archive/${campaignId}`;
