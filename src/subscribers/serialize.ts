import type { Subscriber, SubscriberEvent } from './queries';
import { topicList } from './topics';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A reader as the admin API shows it. */
export const serializeSubscriber = (s: Subscriber) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  status: s.status,
  topics: topicList(s),
  tags: s.tags,
  consent: {
    at: iso(s.consentAt),
    ip: s.consentIp,
    userAgent: s.consentUserAgent,
    source: s.consentSource,
    wording: s.consentWording,
    confirmedAt: iso(s.confirmedAt),
    confirmIp: s.confirmIp,
  },
  unsubscribedAt: iso(s.unsubscribedAt),
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const serializeEvent = (e: SubscriberEvent) => ({
  id: e.id,
  type: e.type,
  detail: e.detail,
  ip: e.ip,
  at: iso(e.createdAt),
});
