import { Resend } from 'resend';
import type { Deps } from '../../deps';

export interface DomainState {
  name: string;
  /** Resend's word: verified, pending, not_started, failed, partially_verified, partially_failed. */
  status: string | null;
  error?: string;
}

const TTL_MS = 5 * 60 * 1000;
/** Per Deps (one per process or isolate): the dashboard must not call Resend on every load. */
const cache = new WeakMap<object, { at: number; value: DomainState }>();

/** The domain of MAIL_FROM ("Name <a@b.org>" or "a@b.org"). */
export function senderDomain(mailFrom: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(mailFrom);
  return (m?.[1] ?? '').toLowerCase();
}

/**
 * The sending domain's verification state, from Resend's GET /domains through the SDK, when a
 * Resend key is set. Never throws: a refused key or an outage becomes a message on the dashboard.
 */
export async function sendingDomainState(deps: Pick<Deps, 'config' | 'now'>): Promise<DomainState | null> {
  const { resendApiKey, resendBaseUrl, mailFrom } = deps.config;
  if (!resendApiKey) return null;
  const hit = cache.get(deps.config);
  if (hit && deps.now() - hit.at < TTL_MS) return hit.value;
  const name = senderDomain(mailFrom);
  let value: DomainState;
  try {
    const resend = new Resend(resendApiKey, resendBaseUrl ? { baseUrl: resendBaseUrl } : undefined);
    const { data, error } = await resend.domains.list();
    if (error || !data) value = { name, status: null, error: error?.message ?? 'Resend did not answer.' };
    else {
      const found = data.data.find((d) => d.name.toLowerCase() === name);
      value = found ? { name, status: found.status } : { name, status: null, error: `${name} is not a domain of this Resend account: add and verify it in Resend.` };
    }
  } catch (err) {
    value = { name, status: null, error: `Resend could not be reached: ${String(err).slice(0, 200)}` };
  }
  cache.set(deps.config, { at: deps.now(), value });
  return value;
}
