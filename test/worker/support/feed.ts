/**
 * The publication's RSS feed as the feed-refresh cron reads it in the workers tests: two articles
 * from the last two days, so a digest built now includes them.
 */
export const FEED_ARTICLES = [
  { guid: 'ledger-2001', title: 'Council approves the riverside flood wall', slug: 'flood-wall', hoursAgo: 30 },
  { guid: 'ledger-2002', title: 'The last ferry pilot on the estuary', slug: 'ferry-pilot', hoursAgo: 6 },
] as const;

export function feedXml(now: number): string {
  const items = FEED_ARTICLES.map(
    (a) => `
    <item>
      <title>${a.title}</title>
      <link>https://news.example.org/${a.slug}</link>
      <guid isPermaLink="false">${a.guid}</guid>
      <pubDate>${new Date(now - a.hoursAgo * 3600_000).toUTCString()}</pubDate>
      <description>A report from the Riverside Ledger newsroom.</description>
    </item>`,
  ).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>The Riverside Ledger</title>
  <link>https://news.example.org</link>
  <description>News from the river towns</description>${items}
</channel></rss>`;
}
