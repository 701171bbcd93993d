import * as z from 'zod';
import { normaliseEmail, unseenCharacter } from './email-address';

/*
 * The form's and the API's address field. Apart from email-address.ts so that code checking
 * addresses without zod (an import's worker thread, src/node/import-thread-worker.ts) does not
 * load it.
 */

/** A zod field for an address that normalises it and explains what is wrong. */
export const emailField = z
  .string({ error: 'email is required' })
  .max(320, 'email is too long')
  .transform((v, ctx) => {
    const unseen = unseenCharacter(v.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''));
    if (unseen) {
      ctx.addIssue({
        code: 'custom',
        message: `That email address contains a character that cannot be seen or looks like another (${unseen}). Please type it again.`,
      });
      return z.NEVER;
    }
    const email = normaliseEmail(v);
    if (!email) {
      ctx.addIssue({ code: 'custom', message: 'That email address does not look right. Please check it.' });
      return z.NEVER;
    }
    return email;
  });
