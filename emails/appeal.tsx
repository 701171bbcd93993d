/** @jsxImportSource react */
import type { AppealCopy, AppealProgress, Personalisation, Site } from './_components/types';
import { Button } from './_components/button';
import { Content } from './_components/content';
import { Footer } from './_components/footer';
import { Greeting } from './_components/greeting';
import { EmailLayout } from './_components/layout';
import { MarkdownBlock } from './_components/markdown-block';
import { Masthead } from './_components/masthead';
import { Progress } from './_components/progress';
import { sampleAppeal, samplePersonal, sampleSite } from './_components/samples';

export interface AppealEmailProps extends AppealCopy, Personalisation {
  site: Site;
  /** Inbox preview line; by default the headline. */
  preheader?: string;
  progress?: AppealProgress;
}

/** A donation appeal: a letter from the newsroom with one clear button. */
export default function AppealEmail(props: AppealEmailProps) {
  const { site } = props;
  return (
    <EmailLayout
      title={props.headline}
      preheader={props.preheader ?? props.headline}
      masthead={<Masthead site={site} dateline="A letter from the newsroom" />}
      footer={
        <Footer
          site={site}
          reason={`You are receiving this appeal because you subscribed to appeals from ${site.name}.`}
          unsubscribeUrl={props.unsubscribeUrl}
          preferencesUrl={props.preferencesUrl}
          viewInBrowserUrl={props.viewInBrowserUrl}
        />
      }
    >
      <Content heading={props.headline}>
        <Greeting name={props.name} />
        <MarkdownBlock markdown={props.body} inSerifCell />
        {props.progress && <Progress progress={props.progress} />}
        <Button href={props.donateUrl}>{props.donateLabel ?? 'Support our journalism'}</Button>
      </Content>
    </EmailLayout>
  );
}

AppealEmail.PreviewProps = {
  site: sampleSite,
  ...samplePersonal,
  ...sampleAppeal,
  body: `${sampleAppeal.body}

Every gift, however small, goes to reporting: no shareholders, no paywall.

With thanks,\\
Hannah Reid, editor`,
  progress: { label: '1,240 readers have given £18,600 of our £25,000 winter goal', fraction: 0.744 },
} satisfies AppealEmailProps;
