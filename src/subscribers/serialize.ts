import type { Subscriber, SubscriberEvent } from './queries';
import { topicList } from './topics';
import { isoOrNull } from '../timing';


/** A reader as the admin API shows it. */
export const serializeSubscriber = (s: Subscriber) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  status: s.status,
  topics: topicList(s),
  tags: s.tags,
  consent: {
    at: isoOrNull(s.consentAt),
    ip: s.consentIp,
    userAgent: s.consentUserAgent,
    source: s.consentSource,
    wording: s.consentWording,
    confirmedAt: isoOrNull(s.confirmedAt),
    confirmIp: s.confirmIp,
  },
  unsubscribedAt: isoOrNull(s.unsubscribedAt),
  createdAt: isoOrNull(s.createdAt),
  updatedAt: isoOrNull(s.updatedAt),
});

export const serializeEvent = (e: SubscriberEvent) => ({
  id: e.id,
  type: e.type,
  detail: e.detail,
  ip: e.ip,
  at: isoOrNull(e.createdAt),
});
