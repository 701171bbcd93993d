import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/articles/parse-feed';
import {
  addArticle,
  articlesPublishedSince,
  getArticle,
  getArticlesByIds,
  listArticles,
  upsertArticles,
} from '../../src/articles/queries';
import type { Database } from '../../src/db/database';
import { openLibsql, type LibsqlDatabase } from '../../src/db/libsql';
import { AppError } from '../../src/errors';
import { feedArticle } from './support/articles';
import { fixture } from './support/fixtures';

let opened: LibsqlDatabase;
let db: Database;
beforeEach(async () => {
  opened = await openLibsql(':memory:');
  db = opened.db;
});
afterEach(() => opened.client.close());

const T0 = Date.UTC(2024, 4, 12, 7, 0, 0);

function rssArticles(text = fixture('wordpress-rss.xml')) {
  const feed = parseFeed(text, { feedUrl: 'https://riversideledger.example/feed/' });
  if (!feed.ok) throw new Error(feed.error);
  return feed.articles;
}

const all = async () => (await listArticles(db, { limit: 1000, offset: 0 })).rows;

describe('upsertArticles', () => {
  it('adds a feed once, however often it is read', async () => {
    expect(await upsertArticles(db, rssArticles(), T0)).toEqual({ added: 6, updated: 0, unchanged: 0 });
    expect(await upsertArticles(db, rssArticles(), T0 + 3_600_000)).toEqual({ added: 0, updated: 0, unchanged: 6 });
    const rows = await all();
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      title: 'Council approves 300 homes on the old tannery site',
      categories: ['City Council', 'Housing & Planning'],
      source: 'feed',
      createdAt: T0,
    });
  });

  it('applies edits made on the site to the stored article', async () => {
    await upsertArticles(db, rssArticles(), T0);
    const edited = fixture('wordpress-rss.xml')
      .replace('Council approves 300 homes on the old tannery site</title>', 'Council approves 280 homes on the old tannery site</title>')
      .replace('tannery-1200x800.jpg', 'tannery-new-1200x800.jpg');
    const later = T0 + 86_400_000;
    expect(await upsertArticles(db, rssArticles(edited), later)).toEqual({ added: 0, updated: 1, unchanged: 5 });
    const rows = await all();
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatchObject({
      title: 'Council approves 280 homes on the old tannery site',
      imageUrl: 'https://riversideledger.example/wp-content/uploads/2024/05/tannery-new-1200x800.jpg',
      createdAt: T0,
      updatedAt: later,
    });
  });

  it('merges an article the feed lists again under a new link', async () => {
    const original = feedArticle();
    await upsertArticles(db, [original], T0);
    await upsertArticles(db, [{ ...original, url: 'https://riversideledger.example/2024/05/new-slug/' }], T0 + 1);
    const rows = await all();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.url).toBe('https://riversideledger.example/2024/05/new-slug/');
  });

  it('dates an undated item when first seen and keeps that date afterwards', async () => {
    const undated = feedArticle({ publishedAt: null });
    expect(await upsertArticles(db, [undated], T0)).toMatchObject({ added: 1 });
    expect(await upsertArticles(db, [undated], T0 + 3_600_000)).toMatchObject({ unchanged: 1 });
    expect((await all())[0]!.publishedAt).toBe(T0);
  });

  it('lets the feed take over an article an editor added by hand', async () => {
    const item = feedArticle();
    const manual = await addArticle(db, { url: item.url, title: 'Working title', publishedAt: T0 }, T0);
    expect(await upsertArticles(db, [item], T0 + 1)).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const row = await getArticle(db, manual.id);
    expect(row).toMatchObject({ guid: item.guid, title: item.title, source: 'manual' });
    expect(await all()).toHaveLength(1);
  });

  it('handles more items than one statement or batch may carry', async () => {
    const many = Array.from({ length: 260 }, () => feedArticle());
    expect(await upsertArticles(db, many, T0)).toEqual({ added: 260, updated: 0, unchanged: 0 });
    const changed = many.map((a, i) => (i % 2 ? { ...a, excerpt: `${a.excerpt} Updated.` } : a));
    expect(await upsertArticles(db, changed, T0 + 1)).toEqual({ added: 0, updated: 130, unchanged: 130 });
    expect((await listArticles(db, { limit: 1, offset: 0 })).total).toBe(260);
  });

  it('makes one row per article when two refreshes run at once', async () => {
    await Promise.all([upsertArticles(db, rssArticles(), T0), upsertArticles(db, rssArticles(), T0)]);
    expect(await all()).toHaveLength(6);
  });

  it('stores nothing and says so for an empty feed', async () => {
    expect(await upsertArticles(db, [], T0)).toEqual({ added: 0, updated: 0, unchanged: 0 });
  });
});

describe('reading articles', () => {
  it('lists newest first, in pages, with the total', async () => {
    const a = feedArticle({ publishedAt: T0 - 3 * 86_400_000, title: 'Oldest' });
    const b = feedArticle({ publishedAt: T0 - 2 * 86_400_000, title: 'Middle' });
    const c = feedArticle({ publishedAt: T0 - 1 * 86_400_000, title: 'Newest' });
    await upsertArticles(db, [a, b, c], T0);
    const page1 = await listArticles(db, { limit: 2, offset: 0 });
    const page2 = await listArticles(db, { limit: 2, offset: 2 });
    expect(page1.rows.map((r) => r.title)).toEqual(['Newest', 'Middle']);
    expect(page2.rows.map((r) => r.title)).toEqual(['Oldest']);
    expect(page1.total).toBe(3);
    const recent = await listArticles(db, { since: T0 - 2 * 86_400_000, limit: 10, offset: 0 });
    expect(recent.rows.map((r) => r.title)).toEqual(['Newest', 'Middle']);
    expect(recent.total).toBe(2);
  });

  it('gives the digest the articles published after the last one, up to its cut-off', async () => {
    const lastDigest = T0 - 7 * 86_400_000;
    await upsertArticles(
      db,
      [
        feedArticle({ title: 'Before', publishedAt: lastDigest - 1 }),
        feedArticle({ title: 'Exactly at the last digest', publishedAt: lastDigest }),
        feedArticle({ title: 'Monday', publishedAt: lastDigest + 86_400_000 }),
        feedArticle({ title: 'Friday', publishedAt: lastDigest + 5 * 86_400_000 }),
        feedArticle({ title: 'After the cut-off', publishedAt: T0 + 1 }),
      ],
      T0,
    );
    const week = await articlesPublishedSince(db, lastDigest, T0);
    expect(week.map((a) => a.title)).toEqual(['Friday', 'Monday']);
    expect((await articlesPublishedSince(db, lastDigest)).map((a) => a.title)).toEqual([
      'After the cut-off',
      'Friday',
      'Monday',
    ]);
  });

  it('finds articles by id in the order asked, leaving out unknown ids', async () => {
    await upsertArticles(db, [feedArticle({ title: 'A' }), feedArticle({ title: 'B' })], T0);
    const [x, y] = (await all()).map((r) => r.id);
    const found = await getArticlesByIds(db, [y!, 999_999, x!]);
    expect(found.map((r) => r.id)).toEqual([y, x]);
    expect(await getArticle(db, 999_999)).toBeUndefined();
  });
});

describe('addArticle', () => {
  it('stores a hand-added article with its link as guid', async () => {
    const row = await addArticle(
      db,
      {
        url: 'https://riversideledger.example/2024/05/print-only/',
        title: 'From the print edition',
        excerpt: 'A story that never made the feed.',
        author: 'Grace Adeyemi',
        publishedAt: T0,
      },
      T0,
    );
    expect(row).toMatchObject({
      guid: 'https://riversideledger.example/2024/05/print-only/',
      source: 'manual',
      categories: [],
      createdAt: T0,
    });
  });

  it('refuses a link that is already stored', async () => {
    const item = feedArticle();
    await upsertArticles(db, [item], T0);
    const again = addArticle(db, { url: item.url, title: 'Duplicate', publishedAt: T0 }, T0);
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: 'conflict' });
  });
});
