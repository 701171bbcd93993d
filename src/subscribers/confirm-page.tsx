import { Layout } from '../pages/layout';

export interface ConfirmPageProps {
  siteName: string;
  siteUrl: string;
  email: string;
  action: string;
}

/** GET /confirm/:token. A button, not an automatic confirmation: mail scanners open links. */
export function ConfirmPage({ siteName, siteUrl, email, action }: ConfirmPageProps) {
  return (
    <Layout title="Confirm your subscription" siteName={siteName} siteUrl={siteUrl}>
      <h1>Confirm your subscription</h1>
      <div class="card">
        <p>
          Press the button to start receiving the {siteName} newsletter at <strong>{email}</strong>.
        </p>
        <form method="post" action={action}>
          <button type="submit">Yes, subscribe me</button>
        </form>
        <p class="muted">If you did not ask for this, close this page and nothing will happen.</p>
      </div>
    </Layout>
  );
}
