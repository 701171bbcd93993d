/** @jsxImportSource react */
import type { Site, Topic } from './_components/types';
import { Button } from './_components/button';
import { Content, P } from './_components/content';
import { Footer } from './_components/footer';
import { Greeting } from './_components/greeting';
import { EmailLayout } from './_components/layout';
import { Masthead } from './_components/masthead';
import { sampleSite } from './_components/samples';
import { TextLink } from './_components/text-link';
import { TopicList } from './_components/topic-list';

export interface WelcomeEmailProps {
  site: Site;
  name?: string | null;
  preferencesUrl: string;
  unsubscribeUrl: string;
  topics: readonly Topic[];
}

/** Sent once a reader has confirmed: what to expect and how to change it. */
export default function WelcomeEmail({ site, name, preferencesUrl, unsubscribeUrl, topics }: WelcomeEmailProps) {
  return (
    <EmailLayout
      title={`Welcome to ${site.name}`}
      preheader="Your subscription is confirmed. Here is what to expect."
      masthead={<Masthead site={site} dateline="Welcome" />}
      footer={
        <Footer
          site={site}
          reason={`You received this email because you subscribed to ${site.name}.`}
          unsubscribeUrl={unsubscribeUrl}
          preferencesUrl={preferencesUrl}
        />
      }
    >
      <Content heading={`Welcome to ${site.name}`}>
        <Greeting name={name} />
        <P>Thank you for confirming your subscription. Here is what you will receive:</P>
        {topics.length > 0 ? (
          <TopicList topics={topics} />
        ) : (
          <P>Nothing yet: you have not chosen any topics. Pick some on your preferences page.</P>
        )}
        <P>
          You can change your topics or the name we greet you by at any time on your{' '}
          <TextLink href={preferencesUrl}>preferences page</TextLink>. If you change your mind, every
          email we send has a link to <TextLink href={unsubscribeUrl}>unsubscribe</TextLink> in one click.
        </P>
        <P>Until the next issue, there is plenty to read on the site.</P>
        <Button href={site.url}>Read {site.name}</Button>
      </Content>
    </EmailLayout>
  );
}

WelcomeEmail.PreviewProps = {
  site: sampleSite,
  name: 'Zoë',
  preferencesUrl: 'https://news.northgate-courier.example/preferences/sample-token',
  unsubscribeUrl: 'https://news.northgate-courier.example/unsubscribe/sample-token',
  topics: ['digest', 'appeals'],
} satisfies WelcomeEmailProps;
