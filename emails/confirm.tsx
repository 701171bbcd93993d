/** @jsxImportSource react */
import type { Site, Topic } from './_components/types';
import { Button } from './_components/button';
import { Content, P } from './_components/content';
import { Footer } from './_components/footer';
import { Greeting } from './_components/greeting';
import { EmailLayout } from './_components/layout';
import { Masthead } from './_components/masthead';
import { sampleSite } from './_components/samples';
import { TopicList } from './_components/topic-list';

export interface ConfirmEmailProps {
  site: Site;
  name?: string | null;
  /** The confirm page (GET shows a button; only its POST confirms). */
  confirmUrl: string;
  topics: readonly Topic[];
}

/** Double opt-in: sent to a new or pending address after a sign-up. */
export default function ConfirmEmail({ site, name, confirmUrl, topics }: ConfirmEmailProps) {
  return (
    <EmailLayout
      title={`Confirm your subscription to ${site.name}`}
      preheader={`One click and you will start receiving ${site.name}.`}
      masthead={<Masthead site={site} dateline="Your subscription" />}
      footer={
        <Footer
          site={site}
          reason={`You received this email because this address was entered in the sign-up form of ${site.name}.`}
        />
      }
    >
      <Content heading="Please confirm your subscription">
        <Greeting name={name} />
        <P>
          We received a request to subscribe this address to {site.name}. Once you confirm, you will
          receive:
        </P>
        <TopicList topics={topics} />
        <Button href={confirmUrl}>Confirm my subscription</Button>
        <P>
          If this wasn’t you, ignore this email: the address will not be subscribed and we will not
          write again.
        </P>
      </Content>
    </EmailLayout>
  );
}

ConfirmEmail.PreviewProps = {
  site: sampleSite,
  name: 'Zoë',
  confirmUrl: 'https://news.northgate-courier.example/confirm/sample-token',
  topics: ['digest', 'appeals'],
} satisfies ConfirmEmailProps;
