import type { Config } from '../config';
import type { Site } from '../../emails/_components/types';

/** The publication as templates and pages see it. */
export const siteOf = (config: Config): Site => ({
  name: config.siteName,
  url: config.siteUrl,
  contactLine: config.siteAddress,
  privacyUrl: config.privacyUrl,
});
