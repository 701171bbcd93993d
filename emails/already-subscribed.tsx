/** @jsxImportSource react */
import type { Site } from './_components/types';
import { Button } from './_components/button';
import { Content, P } from './_components/content';
import { Footer } from './_components/footer';
import { EmailLayout } from './_components/layout';
import { Masthead } from './_components/masthead';
import { sampleSite } from './_components/samples';

export interface AlreadySubscribedEmailProps {
  site: Site;
  preferencesUrl: string;
}

/**
 * Someone asked to subscribe an address that is already active. The sign-up form says the same
 * thing for every address, so only the owner of the inbox learns that it was known.
 */
export default function AlreadySubscribedEmail({ site, preferencesUrl }: AlreadySubscribedEmailProps) {
  return (
    <EmailLayout
      title={`You are already subscribed to ${site.name}`}
      preheader="Nothing has changed. Here is how to manage what you receive."
      masthead={<Masthead site={site} dateline="Your subscription" />}
      footer={
        <Footer
          site={site}
          reason={`You received this email because this address was entered in the sign-up form of ${site.name}.`}
          preferencesUrl={preferencesUrl}
        />
      }
    >
      <Content heading="You are already subscribed">
        <P>
          Someone asked to subscribe this address to {site.name}, but it already receives our emails, so
          nothing has changed.
        </P>
        <P>To choose what you receive, change your name or unsubscribe, go to your preferences:</P>
        <Button href={preferencesUrl}>Manage my preferences</Button>
        <P>If this wasn’t you, you can ignore this email.</P>
      </Content>
    </EmailLayout>
  );
}

AlreadySubscribedEmail.PreviewProps = {
  site: sampleSite,
  preferencesUrl: 'https://news.northgate-courier.example/preferences/sample-token',
} satisfies AlreadySubscribedEmailProps;
