/** @jsxImportSource react */
import { Column, Row, Section } from './tables';
import type { DigestArticle } from './types';
import { clampText, imageBox, pickRendition } from './image-box';
import { colour, contentWidth, font, gutter, text } from './theme';

const THUMB = 112;

const kicker = {
  margin: '0 0 6px',
  fontFamily: font.sans,
  fontSize: '12px',
  lineHeight: '1.4',
  fontWeight: 700,
  letterSpacing: '0.08em',
  textTransform: 'uppercase',
  color: colour.accent,
} as const;

// Block, borderless, and proportional wherever CSS height works (see imageBox).
const picture = { display: 'block', border: 0, height: 'auto' } as const;
const byline = { ...text.small, margin: '0 0 10px' } as const;
const headlineLink = { color: colour.ink, textDecoration: 'none' } as const;

/** The week's lead story: a full-width picture, a large headline and a longer excerpt. */
export function FeaturedArticle({ article }: { article: DigestArticle }) {
  const image = article.image && pickRendition(article.image, contentWidth);
  const box = image && imageBox(image, contentWidth, 9 / 16);
  return (
    <Section style={{ padding: `0 ${gutter}px 8px` }}>
      {image && box && (
        <a href={article.url} data-skip-in-text="true">
          <img
            src={image.src}
            alt={image.alt || article.title}
            width={box.width}
            height={box.height}
            style={{ ...picture, width: '100%', maxWidth: `${box.width}px`, margin: '0 0 16px' }}
          />
        </a>
      )}
      {article.category && (
        <p className="bs-accent" style={kicker}>
          {article.category}
        </p>
      )}
      <h3 className="bs-ink" style={{ ...text.h3, fontSize: '26px', lineHeight: '1.2', margin: '0 0 10px' }}>
        <a href={article.url} data-text-nohref="true" className="bs-ink" style={headlineLink}>
          {article.title}
        </a>
      </h3>
      {article.author && (
        <p className="bs-muted" style={byline}>
          By {article.author}
        </p>
      )}
      {article.excerpt && <p className="bs-ink" style={text.body}>{clampText(article.excerpt, 420)}</p>}
      <ReadMore article={article} />
    </Section>
  );
}

/**
 * One of the week's other stories: headline, byline and excerpt, a small picture on the right;
 * on a phone the picture stacks above the text (see phoneCss).
 */
export function ArticleItem({ article, first }: { article: DigestArticle; first: boolean }) {
  const image = article.image && pickRendition(article.image, THUMB);
  const box = image && imageBox(image, THUMB, 2 / 3);
  const top = first ? 0 : 18;
  return (
    <Section style={{ padding: `0 ${gutter}px` }}>
      <Row dir="rtl" className="bs-rule" style={{ borderTop: first ? 'none' : `1px solid ${colour.rule}` }}>
        {image && box && (
          <Column
            dir="ltr"
            width={THUMB + 16}
            className="bs-stack bs-thumb"
            style={{ width: `${THUMB + 16}px`, verticalAlign: 'top', padding: `${top + 4}px 0 18px 16px` }}
          >
            <a href={article.url} data-skip-in-text="true">
              <img
                src={image.src}
                alt={image.alt || article.title}
                width={box.width}
                height={box.height}
                style={{ ...picture, width: `${box.width}px` }}
              />
            </a>
          </Column>
        )}
        <Column dir="ltr" className={box ? 'bs-stack bs-after-thumb' : undefined} style={{ verticalAlign: 'top', padding: `${top}px 0 18px` }}>
          {article.category && (
            <p className="bs-accent" style={kicker}>
              {article.category}
            </p>
          )}
          <h3 className="bs-ink" style={{ ...text.h3, margin: '0 0 6px' }}>
            <a href={article.url} data-text-nohref="true" className="bs-ink" style={headlineLink}>
              {article.title}
            </a>
          </h3>
          {article.author && (
            <p className="bs-muted" style={byline}>
              By {article.author}
            </p>
          )}
          {article.excerpt && (
            <p className="bs-ink" style={{ ...text.body, fontSize: '16px', margin: '0 0 8px' }}>{clampText(article.excerpt, 240)}</p>
          )}
          <ReadMore article={article} />
        </Column>
      </Row>
    </Section>
  );
}

function ReadMore({ article }: { article: DigestArticle }) {
  return (
    <p style={{ margin: '0', fontFamily: font.sans, fontSize: '15px', lineHeight: '1.5' }}>
      <a href={article.url} className="bs-link" style={{ ...text.link, fontWeight: 600 }} title={article.title}>
        Read more
      </a>
    </p>
  );
}
