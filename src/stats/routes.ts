import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { parseOr400 } from '../http/read-body';
import { signupsBySource } from './signups';

const DAY_MS = 24 * 3600 * 1000;

/** A date (a whole UTC day) or a date-time. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'must be a date (2026-11-01) or an ISO date-time' });
const rangeSchema = z.object({ from: instant.optional(), to: instant.optional() });

/** `to` as a date means "up to the end of that day". */
const toMs = (v: string, end: boolean) => Date.parse(v) + (end && v.length === 10 ? DAY_MS : 0);

/** /admin/api/stats. Mounted behind requireAdmin. */
export function statsRoutes(deps: Deps) {
  const app = new Hono();

  // Sign-ups per source article in [from, to); the last 30 days unless given.
  app.get('/signups', async (c) => {
    const q = parseOr400(rangeSchema, c.req.query());
    const to = q.to ? toMs(q.to, true) : deps.now() + 1; // up to and including now
    const from = q.from ? toMs(q.from, false) : to - 30 * DAY_MS;
    if (from >= to) throw new AppError('bad_request', 'from must be before to.');
    const sources = await signupsBySource(deps.db, { from, to });
    return c.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total: sources.reduce((s, r) => s + r.signups, 0),
      sources,
    });
  });
  return app;
}
