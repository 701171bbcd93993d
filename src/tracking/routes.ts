import { Hono, type Context } from 'hono';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { findLink, findTrackingKey, recordAnonymousClick, recordClick, recordOpen, type TrackingKey } from './queries';
import { parseTrackingToken, TrackingSigner } from './tracking-tokens';

/** A transparent 1×1 GIF. */
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) => c.charCodeAt(0));

const invalid = () => new AppError('not_found', 'This link is not valid. Use the link from the email itself.');

/**
 * GET /r/:link/:reader: a tracked link. The link token names a (campaign, position) row of
 * campaign_links and is signed with that campaign's key; the redirect goes to that row's URL and
 * nowhere else, so a forged or altered token is a 404, never an open redirect. The reader token
 * (absent in archive and preview copies) says whose click it was.
 *
 * GET /o/:reader: the open pixel (only in campaigns sent with TRACK_OPENS).
 *
 * Mail scanners follow every link in an email; here that can at worst add a click or an open.
 * Nothing else changes: links to Broadside's own pages (unsubscribe, confirm) are never
 * rewritten, and these routes write only click and open records. HEAD requests record nothing.
 */
export function trackingRoutes(deps: Deps) {
  const app = new Hono();
  // A paired campaign's reader tokens are checked with SECRET (src/tokens.ts `readerPair`).
  const trackingSigner = (k: TrackingKey) => TrackingSigner.fromKey(k.key, k.pairedAt === null ? undefined : deps.signer.pairedReaderCheck(k.pairedAt));

  const record = async (c: Context, work: () => Promise<void>) => {
    if (c.req.method !== 'GET') return;
    try {
      await work();
    } catch (err) {
      // The reader must get to the article even if counting the click failed.
      deps.logger.error('tracking record failed', { path: c.req.path, error: String(err) });
    }
  };

  // Archive and preview copies end their links in `/r/<link>/` (an empty reader token).
  app.on('GET', ['/r/:link/:reader', '/r/:link/', '/r/:link'], async (c) => {
    const claimed = parseTrackingToken(c.req.param('link'));
    if (!claimed) throw invalid();
    const link = await findLink(deps.db, claimed.campaignId, claimed.value);
    if (!link) throw invalid();
    const signer = await trackingSigner(link);
    if (!(await signer.verify('link', c.req.param('link')))) throw invalid();
    const readerParam = c.req.param('reader');
    if (readerParam) {
      const reader = await signer.verify('reader', readerParam);
      if (!reader || reader.campaignId !== claimed.campaignId) throw invalid();
      await record(c, () => recordClick(deps.db, { linkId: link.id, campaignId: reader.campaignId, subscriberId: reader.value, at: deps.now() }));
    } else {
      await record(c, () => recordAnonymousClick(deps.db, link.id));
    }
    c.header('Cache-Control', 'private, no-store');
    c.header('X-Robots-Tag', 'noindex');
    // new URL(...).href: the stored URL as a valid, ASCII-only Location value.
    return c.redirect(new URL(link.url).href, 302);
  });

  app.on('GET', ['/o/:reader', '/o/', '/o'], async (c) => {
    const token = c.req.param('reader') ?? '';
    const claimed = parseTrackingToken(token);
    const key = claimed ? await findTrackingKey(deps.db, claimed.campaignId) : undefined;
    if (key) {
      const reader = await (await trackingSigner(key)).verify('reader', token);
      if (reader) await record(c, () => recordOpen(deps.db, { campaignId: reader.campaignId, subscriberId: reader.value, at: deps.now() }));
    }
    // Always the image, whatever the token: a broken image helps no one.
    return c.body(PIXEL, 200, { 'Content-Type': 'image/gif', 'Cache-Control': 'private, no-store' });
  });
  return app;
}
