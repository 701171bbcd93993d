/** @jsxImportSource react */
import { Band, Column, Row, Table } from './tables';
import type { DigestArticle } from './types';
import { clampText, imageBox, pickRendition } from './image-box';
import { SectionHeading } from './section-heading';
import { cellType, cls, colour, contentWidth, font, gutter } from './theme';

const THUMB = 112;

/*
 * A story's text sits in a cell set in the sans type (cellType.sans). Its sizes, margins and
 * spacing are class rules stated once per email (storyCss, theme.ts); inline stay only the
 * colours and the headline's and excerpt's serif family (font.serifInline), what a client
 * without <style> needs to show the story on brand (test/emails/no-style.test.ts). The kicker
 * is bold by its <b> (every client's own stylesheet), which also holds where <style> is dropped.
 */
const serif = { fontFamily: font.serifInline } as const;
const lead = { headline: cls.leadHeadline, excerpt: cls.leadExcerpt } as const;
const other = { headline: cls.headline, excerpt: cls.excerpt } as const;

/**
 * The week's stories: the lead under its section heading, then the others under theirs, in one
 * band (one cell set in the sans type) rather than a band each, which would repeat the cell's
 * padding, row and tags. Where the lead's band ended, 8px of padding stood before the next
 * heading's 32px margin: the heading after the lead has the 40px as its margin instead.
 */
export function Stories({ lead, others }: { lead: DigestArticle; others: readonly DigestArticle[] }) {
  return (
    <Band className={cls.ink} style={{ padding: `0 ${gutter}px${others.length > 0 ? '' : ' 8px'}`, ...cellType.sans }}>
      <FeaturedArticle heading="Featured" article={lead} />
      {others.length > 0 && <ArticleList heading="Also this week" articles={others} />}
    </Band>
  );
}

/**
 * The week's lead story under its section heading: a full-width picture, a large headline and a
 * longer excerpt. In the sans cell of Stories.
 */
function FeaturedArticle({ heading, article }: { heading: string; article: DigestArticle }) {
  const image = article.image && pickRendition(article.image, contentWidth);
  const box = image && imageBox(image, contentWidth, 9 / 16);
  return (
    <>
      <SectionHeading>{heading}</SectionHeading>
      {image && box && (
        <a href={article.url} data-skip-in-text="true">
          <img
            src={image.src}
            alt={image.alt || article.title}
            width={box.width}
            height={box.height}
            className={cls.picture}
            style={{ width: '100%', maxWidth: `${box.width}px`, margin: '0 0 16px' }}
          />
        </a>
      )}
      <Story article={article} excerpt={420} kind={lead} />
    </>
  );
}

/**
 * The week's other stories under their section heading, after the lead story in the cell of
 * Stories: one table, a row per story. The table sets the type of the stories' text, which their
 * cells inherit, and Outlook for Windows gets it from `storyTextMsoCss` (see there). The table is
 * right to left so that a story's picture, first in the markup, sits on the right (and stacks
 * above the text on a phone); every cell is left to right.
 */
function ArticleList({ heading, articles }: { heading: string; articles: readonly DigestArticle[] }) {
  return (
    <>
      <SectionHeading marginTop={40}>{heading}</SectionHeading>
      <Table dir="rtl" style={cellType.sans}>
        {articles.map((article, i) => (
          <ArticleItem key={article.url} article={article} first={i === 0} />
        ))}
      </Table>
    </>
  );
}

/**
 * One of the week's other stories: headline, byline and excerpt, a small picture on the right;
 * on a phone the picture stacks above the text (see phoneCss).
 */
function ArticleItem({ article, first }: { article: DigestArticle; first: boolean }) {
  const image = article.image && pickRendition(article.image, THUMB);
  const box = image && imageBox(image, THUMB, 2 / 3);
  // A rule above every story but the first: on each cell of its row, which together span the
  // table (a row's own border shows in no client without border-collapse).
  // cls.thumb and cls.text are ink and rule in dark mode by themselves (theme.ts), and padded
  // by storyCss (the first story, under its heading, less at the top).
  const rule = first ? undefined : `1px solid ${colour.rule}`;
  return (
    <Row>
      {image && box && (
        <Column dir="ltr" width={THUMB + 16} className={cls.thumb} style={first ? { paddingTop: 4 } : { borderTop: rule }}>
          <a href={article.url} data-skip-in-text="true">
            <img src={image.src} alt={image.alt || article.title} width={box.width} height={box.height} className={cls.picture} />
          </a>
        </Column>
      )}
      <Column
        dir="ltr"
        colSpan={box ? undefined : 2}
        className={box ? cls.text : first ? cls.ink : `${cls.ink} ${cls.rule}`}
        // Beside a picture the type comes from the table (and storyTextMsoCss); a cell without one
        // has no cls.text for Outlook's rule, and states it.
        style={box ? (first ? { paddingTop: 0 } : { borderTop: rule }) : { borderTop: rule, padding: first ? '0 0 18px' : '18px 0', ...cellType.sans }}
      >
        <Story article={article} excerpt={240} kind={other} />
      </Column>
    </Row>
  );
}

interface StoryProps {
  article: DigestArticle;
  /** The excerpt's length in characters at most. */
  excerpt: number;
  /** The classes of the headline and excerpt: the lead story's type or the others'. */
  kind: typeof lead | typeof other;
}

/** Kicker, headline, byline, excerpt and "Read more": a story's text, in a sans cell. */
function Story({ article, excerpt, kind }: StoryProps) {
  return (
    <>
      {article.category && (
        <p className={cls.kicker} style={{ color: colour.accent }}>
          <b>{article.category}</b>
        </p>
      )}
      <h3 className={kind.headline} style={serif}>
        <a href={article.url} data-text-nohref="true" className={cls.headlineLink} style={{ color: colour.ink }}>
          {article.title}
        </a>
      </h3>
      {article.author && (
        <p className={cls.byline} style={{ color: colour.muted }}>
          {`By ${article.author}`}
        </p>
      )}
      {article.excerpt && (
        <p className={kind.excerpt} style={serif}>
          {clampText(article.excerpt, excerpt)}
        </p>
      )}
      {/* The last line of the cell, needing no paragraph of its own: the excerpt's is a block. */}
      <a href={article.url} className={cls.more} style={{ color: colour.link }} title={article.title}>
        Read more
      </a>
    </>
  );
}
