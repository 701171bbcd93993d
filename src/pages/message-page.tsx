import type { Child } from 'hono/jsx';
import { Layout } from './layout';

export interface MessagePageProps {
  siteName: string;
  siteUrl: string;
  title: string;
  children?: Child;
}

/** A page that only tells the reader something: "check your inbox", "you are unsubscribed", errors. */
export function MessagePage({ siteName, siteUrl, title, children }: MessagePageProps) {
  return (
    <Layout title={title} siteName={siteName} siteUrl={siteUrl}>
      <h1>{title}</h1>
      <div class="card" role="status">
        {children}
      </div>
    </Layout>
  );
}
