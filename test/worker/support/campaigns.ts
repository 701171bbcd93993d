/** Campaigns for the workers tests: created and sent through the admin API, as an editor would. */
import { adminJson, sentEmails } from './worker-client';

/** A custom campaign, so its MJML goes through compileMjml (mjml-browser in workerd). */
export async function createCustomCampaign(subject: string): Promise<number> {
  const mjml = `<mjml><mj-body><mj-section><mj-column>
    <mj-text>Dear {{name}}, the Riverside Ledger needs you this winter.</mj-text>
    <mj-button href="https://news.example.org/give">Give today</mj-button>
    <mj-text><a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
  </mj-column></mj-section></mj-body></mjml>`;
  const campaign = await adminJson<{ id: number }>('/admin/api/campaigns', {
    method: 'POST',
    body: JSON.stringify({ kind: 'custom', subject, mjml, topic: 'appeals' }),
  });
  return campaign.id;
}

export const sendNow = (id: number) => adminJson(`/admin/api/campaigns/${id}/send`, { method: 'POST' });

/** The emails the fake Resend server accepted for one campaign (by its tag). */
export async function campaignEmails(id: number) {
  return (await sentEmails()).filter((e) => e.tags.some((t) => t.name === 'campaign' && t.value === String(id)));
}
