import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { adminOf, hasRole } from './auth';
import { recordAudit } from './audit';

/** Which API calls the audit log records, by method and path. */
const audited: { method: string; path: RegExp; action: (status?: string) => string; target: (m: RegExpExecArray) => string }[] = [
  { method: 'POST', path: /^\/admin\/api\/campaigns\/(\d+)\/send$/, action: (s) => (s === 'scheduled' ? 'campaign.scheduled' : 'campaign.sent'), target: (m) => `campaign ${m[1]}` },
  { method: 'POST', path: /^\/admin\/api\/campaigns\/(\d+)\/cancel$/, action: () => 'campaign.cancelled', target: (m) => `campaign ${m[1]}` },
  { method: 'POST', path: /^\/admin\/api\/campaigns\/(\d+)\/pause$/, action: () => 'campaign.paused', target: (m) => `campaign ${m[1]}` },
  { method: 'POST', path: /^\/admin\/api\/campaigns\/(\d+)\/resume$/, action: () => 'campaign.resumed', target: (m) => `campaign ${m[1]}` },
  { method: 'POST', path: /^\/admin\/api\/campaigns\/(\d+)\/test$/, action: () => 'campaign.test_sent', target: (m) => `campaign ${m[1]}` },
  { method: 'POST', path: /^\/admin\/api\/subscribers\/import$/, action: () => 'subscribers.imported', target: () => 'subscribers' },
  { method: 'GET', path: /^\/admin\/api\/subscribers\/export$/, action: () => 'subscribers.exported', target: () => 'subscribers' },
  { method: 'GET', path: /^\/admin\/api\/subscribers\/(\d+)\/export$/, action: () => 'subscriber.exported', target: (m) => `subscriber ${m[1]}` },
  { method: 'DELETE', path: /^\/admin\/api\/subscribers\/(\d+)$/, action: () => 'subscriber.erased', target: (m) => `subscriber ${m[1]}` },
];

/**
 * In front of /admin/api: a viewer's session reads but never writes, and the calls that the
 * audit log must show (sends, schedules, cancels, imports, exports, erasures) are recorded
 * after they succeed, whoever made them (bearer token or session), without each API module
 * having to remember it.
 */
export function apiGuard(deps: Pick<Deps, 'db' | 'logger' | 'now'>): MiddlewareHandler {
  return async (c, next) => {
    const admin = adminOf(c);
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !hasRole(admin, 'editor')) {
      throw new AppError('forbidden', 'Your account can read the desk but not change anything.');
    }
    await next();
    if (c.res.status >= 400) return;
    for (const rule of audited) {
      const m = rule.method === c.req.method ? rule.path.exec(c.req.path) : null;
      if (!m) continue;
      let detail: Record<string, unknown> | null = null;
      let status: string | undefined;
      if ((c.res.headers.get('content-type') ?? '').includes('json')) {
        const body = (await c.res.clone().json().catch(() => null)) as Record<string, unknown> | null;
        status = typeof body?.status === 'string' ? body.status : undefined;
        if (rule.action() === 'subscribers.imported' && body) detail = { added: body.added, updated: body.updated, skipped: body.skipped, refused: Array.isArray(body.refused) ? body.refused.length : undefined };
        if (status === 'scheduled' && typeof body?.scheduledAt === 'string') detail = { at: body.scheduledAt };
      }
      await recordAudit(deps.db, { actor: admin.actor, action: rule.action(status), target: rule.target(m), detail, at: deps.now() });
    }
  };
}
