import type { Config } from '../config';

/** The publication as templates and pages see it. */
export interface Site {
  name: string;
  url: string;
  contactLine?: string;
  privacyUrl?: string;
}

export const siteOf = (config: Config): Site => ({
  name: config.siteName,
  url: config.siteUrl,
  contactLine: config.siteAddress,
  privacyUrl: config.privacyUrl,
});
