import { sql, type SQL } from 'drizzle-orm';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { RenderedEmail } from '../../emails/_components/types';
import { clickUrl, openUrl, trackableLinks } from './links';
import { addOpenPixel, linksIn, rewriteLinks } from './rewrite-links';
import { newTrackingKey, TrackingSigner } from './tracking-tokens';

export interface PreparedTracking {
  /** The render to store: tracked links and the open pixel carry the reader placeholder. */
  rendered: RenderedEmail;
  /** The statements that store the campaign's key and links, for startSend's batch. */
  statements(db: Database, startedHere: SQL): ReturnType<Database['run']>[];
}

/**
 * Click and open tracking for a campaign whose send is starting, applied once to its render
 * with placeholders. Each link gets a per-campaign token signed here, once; the reader's part of
 * the URL is the `readerToken` placeholder, filled per reader by the fast path. Links to
 * Broadside's own pages (unsubscribe, preferences, view in browser) are left alone, as is
 * everything when TRACK_CLICKS and TRACK_OPENS are both off.
 *
 * The key and the link list are written in the same batch as the ledger, guarded by the same
 * "this call started the send" condition, so a second concurrent start stores nothing.
 */
export async function prepareTracking(
  config: Pick<Config, 'publicUrl' | 'trackClicks' | 'trackOpens'>,
  campaignId: number,
  rendered: RenderedEmail,
  readerPlaceholder: string,
): Promise<PreparedTracking> {
  if (!config.trackClicks && !config.trackOpens) return { rendered, statements: () => [] };
  const key = newTrackingKey();
  const signer = await TrackingSigner.fromKey(key);
  const urls = config.trackClicks ? trackableLinks(config, linksIn(rendered.html)) : [];
  const tokens = await Promise.all(urls.map((_, position) => signer.sign('link', { campaignId, value: position })));
  const tracked = new Map(urls.map((url, i) => [url, clickUrl(config, tokens[i]!, readerPlaceholder)]));
  let out = urls.length ? rewriteLinks(rendered, (url) => tracked.get(url) ?? null) : rendered;
  if (config.trackOpens) out = { ...out, html: addOpenPixel(out.html, openUrl(config, readerPlaceholder)) };

  return {
    rendered: out,
    statements: (db, startedHere) => [
      db.run(sql`
        insert into campaign_tracking (campaign_id, key, clicks, opens)
        select ${campaignId}, ${key}, ${config.trackClicks ? 1 : 0}, ${config.trackOpens ? 1 : 0}
        where ${startedHere}`),
      // One statement for any number of links: json_each expands the list (one bound parameter).
      db.run(sql`
        insert into campaign_links (campaign_id, position, url)
        select ${campaignId}, cast(key as integer), value from json_each(${JSON.stringify(urls)})
        where ${startedHere}`),
    ],
  };
}
