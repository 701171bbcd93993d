import { Layout } from '../pages/layout';

export interface UnsubscribePageProps {
  siteName: string;
  siteUrl: string;
  email: string;
  action: string;
  preferencesUrl: string;
  alreadyLeft: boolean;
}

/** GET /unsubscribe/:token: one button to leave, and the gentler option of fewer emails. */
export function UnsubscribePage({ siteName, siteUrl, email, action, preferencesUrl, alreadyLeft }: UnsubscribePageProps) {
  return (
    <Layout title="Unsubscribe" siteName={siteName} siteUrl={siteUrl}>
      <h1>Unsubscribe</h1>
      <div class="card">
        {alreadyLeft ? (
          <p>
            <strong>{email}</strong> no longer receives the {siteName} newsletter.
          </p>
        ) : (
          <>
            <p>
              Stop all {siteName} emails to <strong>{email}</strong>?
            </p>
            <form method="post" action={action}>
              <button type="submit">Unsubscribe</button>
            </form>
          </>
        )}
        <p class="muted">
          Prefer fewer emails? <a href={preferencesUrl}>Choose what you receive</a> instead.
        </p>
      </div>
    </Layout>
  );
}
