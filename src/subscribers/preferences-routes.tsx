import { Hono } from 'hono';
import * as z from 'zod';
import type { Deps } from '../deps';
import { limitBody } from '../http/body-limit';
import { AppError } from '../errors';
import { singleLine } from '../http/fields';
import { parseOr400, readBody } from '../http/read-body';
import { PreferencesPage } from './preferences-page';
import { resubscribe, savePreferences } from './preferences';
import { topicList, topicsField } from './topics';
import { checkPreferencesToken, unsubscribe } from './unsubscribe';

const preferencesSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('save'),
    // No checked box sends no field at all: that means "no topics".
    topics: topicsField.default([]),
    name: singleLine('name', 100).optional(),
  }),
  z.object({ action: z.literal('resubscribe') }),
  z.object({ action: z.literal('unsubscribe') }),
], { error: 'action must be save, resubscribe or unsubscribe' });

/** A reader's own page: topics, name, leave, come back. Reached by a signed link from any email. */
export function preferencesRoutes(deps: Deps) {
  const app = new Hono();
  const site = { siteName: deps.config.siteName, siteUrl: deps.config.siteUrl };

  app.get('/preferences/:token', async (c) => {
    const s = await checkPreferencesToken(deps, c.req.param('token'));
    return c.html(
      <PreferencesPage {...site} email={s.email} name={s.name} status={s.status} topics={topicList(s)} action={c.req.path} />,
    );
  });

  app.post(
    '/preferences/:token',
    // Hono's 413 becomes our payload_too_large answer in onError.
    limitBody(8192),
    async (c) => {
      const subscriber = await checkPreferencesToken(deps, c.req.param('token'));
      const { kind, data } = await readBody(c, { arrays: ['topics'] });
      const input = parseOr400(preferencesSchema, { action: 'save', ...data });
      const ip = deps.clientIp(c);
      let after = subscriber;
      let saved: 'saved' | 'resubscribe' | 'unsubscribed';
      if (input.action === 'save') {
        if (subscriber.status !== 'active' && subscriber.status !== 'pending') {
          throw new AppError('conflict', 'You are not subscribed. Use “Subscribe again” first.');
        }
        after = await savePreferences(deps, subscriber, { topics: input.topics, name: input.name, ip });
        saved = 'saved';
      } else if (input.action === 'resubscribe') {
        after = await resubscribe(deps, subscriber, ip);
        saved = 'resubscribe';
      } else {
        after = await unsubscribe(deps, subscriber, { method: 'preferences', ip });
        saved = 'unsubscribed';
      }
      if (kind === 'json') {
        return c.json({ status: after.status, topics: topicList(after), name: after.name });
      }
      return c.html(
        <PreferencesPage
          {...site}
          email={after.email}
          name={after.name}
          status={after.status}
          topics={topicList(after)}
          action={c.req.path}
          saved={saved}
        />,
      );
    },
  );
  return app;
}
