import type { Child } from 'hono/jsx';
import { formatInZone } from '../time';

/** One term of a definition list (the consent record). */
export const Fact = ({ term, children }: { term: string; children?: Child }) => (
  <>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </>
);

const words: Record<string, string> = {
  subscribe_requested: 'Asked to subscribe',
  confirmation_sent: 'Confirmation email sent',
  confirmation_suppressed: 'Confirmation not sent (limit)',
  confirmed: 'Confirmed',
  welcome_sent: 'Welcome email sent',
  already_subscribed_sent: '“Already subscribed” email sent',
  unsubscribed: 'Unsubscribed',
  resubscribe_requested: 'Asked to subscribe again',
  preferences_changed: 'Changed their topics',
  added_by_editor: 'Added by an editor',
  updated_by_editor: 'Edited by an editor',
  bounced: 'Email bounced',
  complained: 'Marked an email as spam',
  mail_failed: 'Email failed',
  imported: 'Imported',
  tags_changed: 'Tags changed',
};

/** What an event's detail says, in a line (method, actor, campaign, file…), without internals. */
function detailLine(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const keep = ['method', 'actor', 'campaignId', 'tool', 'file', 'status', 'source', 'added', 'removed', 'topics', 'consent', 'action'];
  return Object.entries(detail)
    .filter(([k, v]) => keep.includes(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k === 'campaignId' ? 'campaign' : k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function EventList({ events, zone }: { events: { type: string; detail: Record<string, unknown> | null; ip: string | null; at: string | null }[]; zone: string }) {
  if (!events.length) return <p class="muted">Nothing recorded.</p>;
  return (
    <ol class="plain history">
      {events.map((e) => (
        <li>
          <time class="muted small nowrap" datetime={e.at ?? ''}>
            {e.at ? formatInZone(Date.parse(e.at), zone) : ''}
          </time>
          <span>
            <strong>{words[e.type] ?? e.type}</strong>
            <span class="muted small">
              {' '}
              {detailLine(e.detail)}
              {e.ip ? ` · IP ${e.ip}` : ''}
            </span>
          </span>
        </li>
      ))}
    </ol>
  );
}
