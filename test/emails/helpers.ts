import { sampleArticles, samplePersonal, sampleSite } from '../../emails/_components/samples';
import type { DigestEmailProps } from '../../src/emails/render';
import type { DigestArticle } from '../../emails/_components/types';

export { samplePersonal, sampleSite };

/** `count` distinct, realistically long articles, cycling through the sample ones. */
export function manyArticles(count: number): DigestArticle[] {
  return Array.from({ length: count }, (_, i) => {
    const base = sampleArticles[i % sampleArticles.length] as DigestArticle;
    return {
      ...base,
      title: `${base.title} (part ${i + 1})`,
      url: `${base.url}?part=${i + 1}`,
      excerpt: `${base.excerpt ?? ''} ${'More detail follows in the full article. '.repeat(4)}`,
    };
  });
}

export function digestProps(overrides: Partial<DigestEmailProps> = {}): DigestEmailProps {
  return {
    site: sampleSite,
    ...samplePersonal,
    issueDate: '2025-11-24',
    intro: 'A short **note** from the editor, with [a link](https://www.northgate-courier.example/about).',
    articles: manyArticles(5),
    appeal: {
      headline: 'Keep local news free to read',
      body: 'Give what you can, once or monthly.',
      donateUrl: 'https://www.northgate-courier.example/support/',
    },
    ...overrides,
  };
}

/** The attributes of every `<tag …>` in React-rendered HTML (which always double-quotes them). */
export function elements(html: string, tag: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const match of html.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attrs: Record<string, string> = {};
    for (const [, name, value] of (match[1] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) {
      attrs[(name as string).toLowerCase()] = value as string;
    }
    found.push(attrs);
  }
  return found;
}

/**
 * The email as a client that drops every <style> shows it (Gmail's apps with a non-Google account,
 * some webmail): without its head styles and without Outlook's conditional ones.
 */
export function withoutStyleSheets(html: string): string {
  return html.replace(/<!--\[if mso\]>[\s\S]*?<!\[endif\]-->/g, '').replace(/<style[^>]*>[^<]*<\/style>/g, '');
}
