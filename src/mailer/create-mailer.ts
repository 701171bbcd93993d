import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../deps';
import type { Mailer } from './mailer';
import { OutboxMailer } from './outbox-mailer';
import { ResendMailer } from './resend-mailer';

/** Resend when an API key is configured; otherwise the outbox, so nothing leaves the machine. */
export function createMailer(config: Config, db: Database, logger: Logger): Mailer {
  if (config.resendApiKey) {
    return new ResendMailer({
      apiKey: config.resendApiKey,
      baseUrl: config.resendBaseUrl,
      rate: config.sendRate,
      logger,
    });
  }
  return new OutboxMailer(db);
}
