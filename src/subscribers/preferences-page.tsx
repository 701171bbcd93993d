import type { Topic } from '../db/schema';
import type { SubscriberStatus } from '../db/schema';
import { Layout } from '../pages/layout';

export interface PreferencesPageProps {
  siteName: string;
  siteUrl: string;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  topics: Topic[];
  action: string;
  saved?: 'saved' | 'resubscribe' | 'unsubscribed';
}

const topicLabels: Record<Topic, { title: string; help: string }> = {
  digest: { title: 'The weekly digest', help: 'Our week’s articles, every Monday morning.' },
  appeals: { title: 'Appeals', help: 'An occasional request to support our journalism.' },
};

const statusText: Record<SubscriberStatus, string> = {
  active: 'You are subscribed.',
  pending: 'Your subscription waits for confirmation: check your inbox for the link.',
  unsubscribed: 'You are unsubscribed and receive no emails from us.',
  bounced: 'Emails to this address could not be delivered, so we stopped sending them.',
  complained: 'You marked one of our emails as spam, so we stopped sending them.',
};

const notice = {
  saved: 'Your choices are saved.',
  resubscribe: 'Almost there: we sent you an email with a link to confirm.',
  unsubscribed: 'You are unsubscribed. We will not email you again.',
} as const;

/** GET /preferences/:token: topics, name, and leaving or coming back. */
export function PreferencesPage(p: PreferencesPageProps) {
  const canEdit = p.status === 'active' || p.status === 'pending';
  return (
    <Layout title="Your newsletter preferences" siteName={p.siteName} siteUrl={p.siteUrl}>
      <h1>Your newsletter preferences</h1>
      {p.saved && (
        <p class="card" role="status">
          {notice[p.saved]}
        </p>
      )}
      <p>
        For <strong>{p.email}</strong>. {statusText[p.status]}
      </p>
      {canEdit && (
        <form method="post" action={p.action} class="card">
          <input type="hidden" name="action" value="save" />
          <fieldset>
            <legend>What would you like to receive?</legend>
            {(Object.keys(topicLabels) as Topic[]).map((t) => (
              <label class="check">
                <input type="checkbox" name="topics" value={t} checked={p.topics.includes(t)} />
                <span>
                  {topicLabels[t].title}
                  <br />
                  <span class="muted">{topicLabels[t].help}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <label for="name">Your name (optional)</label>
          <input id="name" type="text" name="name" value={p.name ?? ''} maxlength={100} autocomplete="name" />
          <div class="actions">
            <button type="submit">Save my choices</button>
          </div>
        </form>
      )}
      {canEdit && (
        <form method="post" action={p.action}>
          <input type="hidden" name="action" value="unsubscribe" />
          <button type="submit" class="secondary">
            Unsubscribe from everything
          </button>
        </form>
      )}
      {p.status === 'unsubscribed' && (
        <form method="post" action={p.action} class="card">
          <input type="hidden" name="action" value="resubscribe" />
          <p>Changed your mind? We will send you a link to confirm.</p>
          <button type="submit">Subscribe again</button>
        </form>
      )}
    </Layout>
  );
}
