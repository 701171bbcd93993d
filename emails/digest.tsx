/** @jsxImportSource react */
import { Band } from './_components/tables';
import type { AppealCopy, DigestArticle, Personalisation, Site } from './_components/types';
import { AppealBlock } from './_components/appeal-block';
import { Stories } from './_components/article';
import { Footer } from './_components/footer';
import { Greeting } from './_components/greeting';
import { formatIssueDate } from './_components/issue-date';
import { EmailLayout } from './_components/layout';
import { MarkdownBlock } from './_components/markdown-block';
import { Masthead } from './_components/masthead';
import { sampleAppeal, sampleArticles, sampleIntro, samplePersonal, sampleSite } from './_components/samples';
import { cellType, cls, gutter, storyCss, storyTextMsoCss } from './_components/theme';

export interface DigestEmailProps extends Personalisation {
  site: Site;
  /** The issue's date, `YYYY-MM-DD`, shown in the dateline. */
  issueDate: string;
  /** Inbox preview line; by default the lead headline and how many more stories follow. */
  preheader?: string;
  /** The editor's note, in Markdown. */
  intro?: string;
  /** The lead story; without one, the first of `articles` leads. */
  featured?: DigestArticle;
  articles: readonly DigestArticle[];
  appeal?: AppealCopy;
}

/** The weekly digest: masthead, editor's note, lead story, the week's other stories, appeal, footer. */
export default function DigestEmail(props: DigestEmailProps) {
  const { site, issueDate, intro, appeal } = props;
  const [lead, ...rest] = props.featured ? [props.featured, ...props.articles] : props.articles;
  const preheader =
    props.preheader ??
    (lead ? `${lead.title}${rest.length > 0 ? `, and ${rest.length} more from this week` : ''}` : site.name);
  return (
    <EmailLayout
      title={`${site.name}: the weekly digest`}
      preheader={preheader}
      css={lead ? storyCss({ others: rest.length > 0 }) : undefined}
      msoCss={rest.length > 0 ? storyTextMsoCss : undefined}
      masthead={<Masthead site={site} as="h1" dateline={`The weekly digest · ${formatIssueDate(issueDate)}`} />}
      footer={
        <Footer
          site={site}
          reason={`You are receiving the weekly digest because you subscribed to ${site.name}.`}
          unsubscribeUrl={props.unsubscribeUrl}
          preferencesUrl={props.preferencesUrl}
          viewInBrowserUrl={props.viewInBrowserUrl}
        />
      }
    >
      {intro && (
        <Band className={cls.ink} style={{ padding: `28px ${gutter}px 0`, ...cellType.serif }}>
          <Greeting name={props.name} />
          <MarkdownBlock markdown={intro} inSerifCell />
        </Band>
      )}
      {lead && <Stories lead={lead} others={rest} />}
      {appeal && <AppealBlock appeal={appeal} />}
    </EmailLayout>
  );
}

DigestEmail.PreviewProps = {
  site: sampleSite,
  ...samplePersonal,
  issueDate: '2025-11-24',
  intro: sampleIntro,
  articles: sampleArticles,
  appeal: sampleAppeal,
} satisfies DigestEmailProps;
