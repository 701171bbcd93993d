import type { Campaign } from '../../db/schema';
import { kindLabel, StatusBadge, whenOf } from '../campaign-bits';

export type CampaignTab = 'edit' | 'preview' | 'send' | 'results';

/** The heading and tabs of every campaign page: edit, preview, check & send, results. */
export function CampaignHeader({ campaign, tab, zone }: { campaign: Campaign; tab: CampaignTab; zone: string }) {
  const base = `/admin/campaigns/${campaign.id}`;
  const tabs: [CampaignTab, string, string][] = [
    ['edit', base, campaign.status === 'draft' ? 'Edit' : 'Status'],
    ['preview', `${base}/preview`, 'Preview'],
    ['send', `${base}/send`, 'Check & send'],
    ['results', `${base}/results`, 'Results'],
  ];
  return (
    <>
      <p class="muted small" style="margin:0 0 .25rem">
        {kindLabel(campaign.kind)} {campaign.isoWeek ? `· ${campaign.isoWeek}` : ''} · <StatusBadge status={campaign.status} /> · {whenOf(campaign, zone)}
      </p>
      <h1>{campaign.subject}</h1>
      <nav aria-label="Campaign" class="actions" style="margin:0 0 1.25rem">
        {tabs.map(([id, href, label]) => (
          <a href={href} class={`button ${id === tab ? '' : 'secondary'}`} aria-current={id === tab ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
    </>
  );
}
