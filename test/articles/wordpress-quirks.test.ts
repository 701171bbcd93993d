import { describe, expect, it } from 'vitest';
import { cleanFeedHtml } from '../../src/articles/excerpt';
import { uncompressedEtag } from '../../src/articles/fetch-feed';
import { postsUnder, withEmbed } from '../../src/articles/feed-source';
import { isUnfitImage } from '../../src/articles/images';
import { linkTargets } from '../../src/articles/link-header';
import { stripShortcodes } from '../../src/articles/shortcodes';
import { pickRendition } from '../../emails/_components/image-box';

describe('shortcodes', () => {
  it.each([
    ['[fusion_builder_container hundred_percent=”no” equal_height_columns=”no”][fusion_builder_row]Text[/fusion_builder_row][/fusion_builder_container]', 'Text'],
    ['Before [fusion_separator style_type=”single solid” top_margin=”20″ /] after', 'Before after'],
    ['[caption id="attachment_7" align="alignnone" width="300"]A harbour[/caption] Story', 'A harbour Story'],
    ['[gallery] Pictures', 'Pictures'],
    ['[fusion_text]Words[/fusion_text]', 'Words'],
    // WordPress cut its excerpt inside the opening tag.
    ['Intro [fusion_builder_column type=”1_1″ layout=”1_1″ spacing=”', 'Intro'],
  ])('%s → %s', (input, expected) => {
    expect(stripShortcodes(input).replace(/\s+/g, ' ').trim()).toBe(expected);
  });

  it.each(['He said it was “unprecedented [sic]”.', 'As reported.[1]', '[Updated] The road reopens', 'Prices [in euros] rose', 'The end […]'])(
    'keeps what readers wrote: %s',
    (input) => {
      expect(stripShortcodes(input)).toBe(input);
    },
  );

  it('leaves WordPress’s own excerpt readable', () => {
    const html =
      '<p>[fusion_builder_container hundred_percent=&#8221;no&#8221;][fusion_builder_row][fusion_builder_column type=&#8221;1_1&#8243;][fusion_text]The harbour&#8217;s wall is finished. [&hellip;]</p>';
    expect(cleanFeedHtml(html).text).toBe('The harbour’s wall is finished.');
  });
});

describe('emoji and small images', () => {
  it('keeps an emoji as a character and never as a picture', () => {
    const html =
      '<p>Post bag <img draggable="false" role="img" class="emoji" alt="📬" src="https://s.w.org/images/core/emoji/15.0.3/svg/1f4ec.svg"> and <img src="https://s.w.org/images/core/emoji/15.0.3/72x72/1f600.png" alt="😀" class="wp-smiley" style="height: 1em; max-height: 1em;" /></p>';
    const { text, images } = cleanFeedHtml(html);
    expect(text).toBe('Post bag 📬 and 😀');
    expect(images).toEqual([]);
  });

  it.each([
    [{ url: 'https://site.example/wp-includes/images/smilies/icon_smile.gif' }, true],
    [{ url: 'https://stats.example/pixel.gif', width: 1, height: 1 }, true],
    [{ url: 'https://site.example/icon.png', width: 48, height: 48 }, true],
    [{ url: 'https://site.example/wp-content/uploads/photo-300x200.jpg', width: 300, height: 200 }, false],
    [{ url: 'https://site.example/photo.jpg' }, false],
  ])('%j unfit: %s', (image, unfit) => {
    expect(isUnfitImage(image)).toBe(unfit);
  });
});

describe('HTTP details', () => {
  it('takes mod_deflate’s suffix off an ETag and leaves others alone', () => {
    expect(uncompressedEtag('"5d8c72a5edda8d6a-gzip"')).toBe('"5d8c72a5edda8d6a"');
    expect(uncompressedEtag('W/"abc-br"')).toBe('W/"abc"');
    expect(uncompressedEtag('"abc"')).toBe('"abc"');
  });

  it('reads Link headers as WordPress writes them', () => {
    const header = '<https://site.example/wp-json/wp/v2/posts?_embed=1&page=1>; rel="prev", <https://site.example/wp-json/wp/v2/posts?_embed=1&page=3>; rel="next"';
    expect(linkTargets(header, 'next', 'https://site.example/')).toEqual(['https://site.example/wp-json/wp/v2/posts?_embed=1&page=3']);
    expect(linkTargets('<https://site.example/wp-json/>; rel="https://api.w.org/"', 'https://api.w.org/', 'https://site.example/')).toEqual([
      'https://site.example/wp-json/',
    ]);
  });

  it('finds the posts under both forms of the API root', () => {
    expect(postsUnder('https://site.example/wp-json/')).toBe('https://site.example/wp-json/wp/v2/posts?_embed=1');
    expect(postsUnder('https://site.example/?rest_route=/')).toBe('https://site.example/?rest_route=%2Fwp%2Fv2%2Fposts&_embed=1');
    expect(withEmbed('https://site.example/wp-json/wp/v2/posts?per_page=20')).toBe('https://site.example/wp-json/wp/v2/posts?per_page=20&_embed=1');
  });
});

describe('renditions', () => {
  const image = {
    src: 'https://site.example/p.jpg',
    width: 2400,
    height: 1600,
    sizes: [
      { url: 'https://site.example/p-150x150.jpg', width: 150, height: 150 },
      { url: 'https://site.example/p-300x200.jpg', width: 300, height: 200 },
      { url: 'https://site.example/p-768x512.jpg', width: 768, height: 512 },
      { url: 'https://site.example/p-1536x1024.jpg', width: 1536, height: 1024 },
    ],
  };
  it('takes the smallest at least twice the shown width, never a square crop', () => {
    expect(pickRendition(image, 112)).toMatchObject({ src: 'https://site.example/p-300x200.jpg', width: 300, height: 200 });
    expect(pickRendition(image, 552)).toMatchObject({ src: 'https://site.example/p-1536x1024.jpg' });
    expect(pickRendition(image, 1400)).toMatchObject({ src: 'https://site.example/p.jpg', width: 2400 });
  });
});

describe('permalink checks', () => {
  it('only ask the site’s own host, never another a feed names', async () => {
    const { openLibsql } = await import('../../src/db/libsql');
    const { upsertArticles, listArticles } = await import('../../src/articles/queries');
    const { checkPermalinks } = await import('../../src/articles/withdrawn');
    const { feedArticle } = await import('./support/articles');
    const opened = await openLibsql(':memory:');
    await upsertArticles(opened.db, [
      feedArticle({ url: 'https://www.site.example/gone/' }),
      feedArticle({ url: 'http://169.254.169.254/latest/meta-data/' }),
    ]);
    const { rows } = await listArticles(opened.db, { limit: 10, offset: 0 });
    const asked: string[] = [];
    const fetch = async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response('Not Found', { status: 404 });
    };
    const withdrawn = await checkPermalinks(opened.db, rows, { fetch: fetch as typeof globalThis.fetch, now: 1, siteUrls: ['https://site.example/feed/'] });
    expect(asked).toEqual(['https://www.site.example/gone/']);
    expect(withdrawn.map((a) => a.url)).toEqual(['https://www.site.example/gone/']);
    opened.client.close();
  });
});
