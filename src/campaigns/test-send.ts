import type { Campaign } from '../db/schema';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { normaliseEmail } from '../subscribers/email-address';
import { renderGeneric } from './web-render';

type TestDeps = Pick<Deps, 'db' | 'config' | 'now' | 'mailer'>;

/**
 * Sends the campaign as it stands to a few editors' addresses. Marked as a test (subject prefix
 * and a `test` tag), never written to the ledger, never counted, with generic links only.
 */
export async function testSendCampaign(deps: TestDeps, campaign: Campaign, to: string[]) {
  const addresses = to.map((raw) => {
    const email = normaliseEmail(raw);
    if (!email) throw new AppError('bad_request', `"${raw.slice(0, 100)}" is not a valid email address.`, { field: 'to' });
    return email;
  });
  const rendered = await renderGeneric(deps, campaign);
  const now = deps.now();
  const results = await Promise.all(
    [...new Set(addresses)].map(async (address, i) => {
      const result = await deps.mailer.send(
        {
          from: deps.config.mailFrom,
          to: address,
          replyTo: deps.config.mailReplyTo,
          subject: `[Test] ${rendered.subject}`,
          html: rendered.html,
          text: rendered.text,
          tags: [
            { name: 'campaign', value: String(campaign.id) },
            { name: 'kind', value: campaign.kind },
            { name: 'test', value: 'true' },
          ],
        },
        { priority: 'transactional', idempotencyKey: `broadside-test-${campaign.id}-${now}-${i}` },
      );
      return result.ok ? { to: address, ok: true as const, id: result.ids[0] } : { to: address, ok: false as const, error: result.error.message };
    }),
  );
  return results;
}
