import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/database';
import type { ResendEvent } from './events';

/**
 * How far along a message is, by the provider's events. `last_event` only moves forward: Svix
 * does not promise order, and a late `email.sent` must not hide that the email was delivered,
 * nor a `delivered` hide a complaint. Transient bounces get their own name so they are not
 * mistaken for permanent ones.
 */
const stage: Record<string, number> = {
  'email.sent': 0,
  'email.scheduled': 0,
  'email.delivery_delayed': 1,
  'email.bounced:transient': 1,
  'email.delivered': 2,
  'email.opened': 3,
  'email.clicked': 3,
  'email.failed': 4,
  'email.suppressed': 4,
  'email.bounced': 4,
  'email.complained': 5,
};

export const TRANSIENT_BOUNCE = 'email.bounced:transient';

export const lastEventName = (e: ResendEvent): string =>
  e.type === 'email.bounced' && e.data.bounce.type !== 'Permanent' ? TRANSIENT_BOUNCE : e.type;

// Inlined rather than bound: a fixed table of our own names, and it keeps the statement well
// under D1's 100 bound parameters.
const stageOf = sql.raw(`case last_event ${Object.entries(stage).map(([n, s]) => `when '${n}' then ${s}`).join(' ')} end`);

function forwardOnly(name: string): SQL {
  return sql`case when coalesce(${stageOf}, -1) <= ${sql.raw(String(stage[name] ?? 0))} then ${name} else last_event end`;
}

const first = (column: string, at: number) => sql`${sql.raw(column)} = coalesce(${sql.raw(column)}, ${at})`;
const clip = (s: string) => s.slice(0, 500);

/**
 * The UPDATE that records one provider event on its delivery. Idempotent: timestamps keep the
 * first occurrence, so applying the same event twice (a pending event swept twice) changes
 * nothing. Provider-side failures turn a `sent` delivery into `failed`: Resend accepted the
 * message but it never went out.
 */
export function deliveryUpdate(db: Database, deliveryId: number, e: ResendEvent, at: number) {
  const name = lastEventName(e);
  const sets: SQL[] = [sql`last_event = ${forwardOnly(name)}`];
  switch (e.type) {
    case 'email.delivered':
      sets.push(first('delivered_at', at));
      break;
    case 'email.bounced': {
      const message = clip(`${e.data.bounce.type} bounce (${e.data.bounce.subType ?? 'no sub-type'}): ${e.data.bounce.message ?? 'no message'}`);
      if (e.data.bounce.type === 'Permanent') sets.push(first('bounced_at', at), sql`error = ${message}`);
      else sets.push(sql`error = case when bounced_at is null then ${message} else error end`);
      break;
    }
    case 'email.complained':
      sets.push(first('complained_at', at));
      break;
    case 'email.opened':
      sets.push(first('opened_at', at));
      break;
    case 'email.clicked':
      sets.push(first('clicked_at', at));
      break;
    case 'email.failed':
    case 'email.suppressed': {
      const why =
        e.type === 'email.failed'
          ? `failed at Resend: ${e.data.failed.reason ?? 'no reason given'}`
          : `suppressed by Resend (${e.data.suppressed.reason ?? e.data.suppressed.type ?? 'suppression list'})`;
      sets.push(sql`status = case when status = 'sent' then 'failed' else status end`, sql`error = ${clip(why)}`);
      break;
    }
    default:
      break;
  }
  return db.run(sql`update deliveries set ${sql.join(sets, sql`, `)} where id = ${deliveryId}`);
}
