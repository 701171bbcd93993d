import { describe, expect, it } from 'vitest';
import { renderDigestEmail } from '../../src/emails/render';
import { digestProps, manyArticles, samplePersonal } from './helpers';

describe('the text part of a digest', async () => {
  const articles = manyArticles(3);
  const { text } = await renderDigestEmail(
    digestProps({ articles, intro: '## From the editor\n\nA note with [a link](https://example.org/note).' }),
  );
  const lines = text.split('\n');

  it('keeps the heading hierarchy: publication, sections, stories', () => {
    expect(lines[0]).toBe('# The Northgate Courier');
    expect(lines).toContain('## Featured');
    expect(lines).toContain('## Also this week');
    expect(lines).toContain('## From the editor');
    for (const article of articles) expect(lines).toContain(`### ${article.title}`);
  });

  it('shows every link as its URL, once', () => {
    expect(text).toContain('A note with a link https://example.org/note.');
    for (const article of articles) {
      expect(lines).toContain(`Read more ${article.url}`);
      expect(text.split(article.url).length - 1).toBe(1);
    }
  });

  it('puts each footer link on a line of its own', () => {
    expect(lines).toContain(`Unsubscribe ${samplePersonal.unsubscribeUrl}`);
    expect(lines).toContain(`Manage preferences ${samplePersonal.preferencesUrl}`);
    expect(lines).toContain(`View in browser ${samplePersonal.viewInBrowserUrl}`);
  });

  it('has no images, hidden preheader, markup or long runs of blank lines', () => {
    expect(text).not.toMatch(/\.jpg|wp-content|\[|\]|<|>/);
    expect(text).not.toContain('more from this week');
    expect(text).not.toMatch(/\u00a0|\u200c|\u034f/);
    expect(text).not.toMatch(/\n\n\n/);
  });
});
