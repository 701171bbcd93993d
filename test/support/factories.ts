import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/database';
import type { SubscriberStatus } from '../../src/db/schema';
import { addArticle } from '../../src/articles/queries';

let sequence = 0;

export interface ReaderOptions {
  status?: SubscriberStatus;
  digest?: boolean;
  appeals?: boolean;
  tags?: string[];
  name?: string | null;
  prefix?: string;
}

/**
 * Inserts `count` readers in one statement (a recursive CTE), so a test can have thousands
 * without thousands of round trips. Addresses are unique per call, each with its mailbox key (the
 * address in lower case: no +tag, not Gmail), as every sign-up and import writes it. Returns their
 * ids in order.
 */
export async function seedReaders(db: Database, count: number, o: ReaderOptions = {}): Promise<number[]> {
  const prefix = `${o.prefix ?? 'reader'}-${++sequence}`;
  const rows = await db.all<{ id: number }>(sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${count})
    insert into subscribers (email, mailbox, name, status, wants_digest, wants_appeals, tags, consent_at, confirmed_at, created_at, updated_at)
    select ${prefix} || '-' || i || '@example.org', lower(${prefix} || '-' || i || '@example.org'), ${o.name === undefined ? null : o.name}, ${o.status ?? 'active'},
           ${o.digest === false ? 0 : 1}, ${o.appeals === false ? 0 : 1}, ${JSON.stringify(o.tags ?? [])}, 0, 0, 0, 0
    from n
    returning id`);
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export async function seedArticles(db: Database, count: number, publishedAt: number) {
  const out = [];
  for (let i = 1; i <= count; i++) {
    const n = ++sequence;
    out.push(
      await addArticle(
        db,
        {
          url: `https://news.example.org/2026/story-${n}`,
          title: `Story number ${n}: the council meets again`,
          excerpt: `What happened at meeting ${n}, and what comes next.`,
          author: 'Ines Marlow',
          publishedAt: publishedAt - i * 60_000,
        },
        publishedAt,
      ),
    );
  }
  return out;
}
