import type { Message } from '@cloudflare/workers-types/index.ts';
import { moveCampaign } from '../campaigns/status';
import type { Deps } from '../deps';

type DeadLetterDeps = Pick<Deps, 'db' | 'logger' | 'now'>;

/**
 * The dead-letter queue's consumer. A send job lands there after the send queue's max_retries,
 * which the ordinary provider trouble never reaches (sendChunk pauses a campaign after a long
 * outage first), so it means a chunk that keeps crashing its consumer or its database writes.
 * Dropping it silently would leave the campaign "sending" for ever with readers never mailed:
 * instead the campaign is paused with the reason, for an editor to see, and resuming it queues
 * its unsent chunks again.
 */
export async function consumeDeadLetters(deps: DeadLetterDeps, messages: readonly Message<unknown>[]): Promise<void> {
  for (const message of messages) {
    const body = message.body as { campaignId?: unknown; chunk?: unknown } | null;
    const campaignId = typeof body?.campaignId === 'number' ? body.campaignId : undefined;
    deps.logger.error('send job dead-lettered', { job: message.body });
    if (campaignId !== undefined) {
      await moveCampaign(deps.db, campaignId, 'pauseForDeadLetter', {
        now: deps.now(),
        reason: `Chunk ${String(body?.chunk)} could not be sent after many tries (see the Worker's logs). Resume to try again.`,
      });
    }
    message.ack();
  }
}
