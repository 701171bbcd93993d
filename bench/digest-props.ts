import type { DigestArticle } from '../emails/_components/types';

/**
 * The 10-article digest the personalisation bench sends and scripts/email-size.ts takes apart:
 * one definition, so the bytes the script explains are the bytes the bench reports.
 */
const site = { name: 'The Riverside Ledger', url: 'https://news.example.org', contactLine: '12 Mill Lane, Riverside' };
const articles: DigestArticle[] = Array.from({ length: 10 }, (_, i) => ({
  title: `Council approves the river park plan, part ${i + 1}`,
  url: `https://news.example.org/2026/11/story-${i + 1}/`,
  excerpt: 'After three years of hearings the council voted seven to two; construction starts in spring.',
  author: 'Ines Marlow',
  category: 'Local',
  image: { src: `https://news.example.org/images/${i + 1}.jpg`, alt: 'The riverbank at dawn', width: 600, height: 338 },
}));
export const benchDigestProps = { site, issueDate: '2026-11-23', intro: 'Good morning. **Three things** happened this week.', articles };
