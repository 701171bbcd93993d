import type { AppealContent, Campaign, CustomContent } from '../../db/schema';
import { Csrf } from '../layout';
import type { AdminPrincipal } from '../sessions';

const SubjectFields = ({ c, dis }: { c?: Campaign; dis: boolean }) => (
  <>
    <label for="subject">
      Subject <span class="hint">What readers see in their inbox. 30–70 characters reads well on a phone.</span>
    </label>
    <input id="subject" name="subject" type="text" value={c?.subject ?? ''} required maxlength={200} disabled={dis} />
    <label for="preheader">
      Preheader <span class="hint">The line after the subject in most inboxes.</span>
    </label>
    <input id="preheader" name="preheader" type="text" value={c?.preheader ?? ''} maxlength={200} disabled={dis} />
  </>
);

/** An appeal: headline, Markdown body with live preview, donate link and label, optional progress line. */
export function AppealForm(props: { admin: AdminPrincipal; campaign?: Campaign; canEdit: boolean; action: string; isNew?: boolean }) {
  const c = props.campaign;
  const content = c?.content as AppealContent | undefined;
  const dis = !props.canEdit;
  return (
    <form method="post" action={props.action} class="card form-card">
      <Csrf admin={props.admin} />
      <input type="hidden" name="kind" value="appeal" />
      <SubjectFields c={c} dis={dis} />
      <label for="headline">Headline</label>
      <input id="headline" name="headline" type="text" value={content?.headline ?? ''} maxlength={200} disabled={dis} />
      <label for="body">
        Letter <span class="hint">Markdown. Say what the money pays for, in the newsroom’s own voice.</span>
      </label>
      <textarea id="body" name="body" rows={12} required disabled={dis} data-live-preview={c && !props.isNew ? `/admin/campaigns/${c.id}/markdown-preview` : '/admin/campaigns/markdown-preview'}>
        {content?.body ?? ''}
      </textarea>
      <div class="live-preview" hidden>
        <p class="hint">Live preview of the letter</p>
        <iframe title="Live preview of the letter" sandbox="" class="intro-frame" style="width:100%;height:14rem;border:1px solid var(--line);border-radius:6px;background:#fff"></iframe>
      </div>
      <label for="donate_url">Donate link</label>
      <input id="donate_url" name="donate_url" type="url" value={content?.donateUrl ?? ''} required placeholder="https://…/donate" maxlength={2000} disabled={dis} />
      <label for="donate_label">Button label</label>
      <input id="donate_label" name="donate_label" type="text" value={content?.donateLabel ?? 'Donate'} maxlength={60} disabled={dis} />
      <label for="progress_label">
        Progress line <span class="hint">Optional, e.g. “1,240 readers have given this year”.</span>
      </label>
      <input id="progress_label" name="progress_label" type="text" value={content?.progress?.label ?? ''} maxlength={200} disabled={dis} />
      <label for="progress_percent">
        Progress bar, percent <span class="hint">Optional, 0–100.</span>
      </label>
      <input id="progress_percent" name="progress_percent" type="number" min="0" max="100" step="1" value={content?.progress?.fraction === undefined ? '' : String(Math.round(content.progress.fraction * 100))} disabled={dis} />
      <label class="check">
        <input type="checkbox" name="exclude_donors" value="1" checked={c?.excludeDonors ?? false} disabled={dis} /> Leave out readers tagged “donor”
      </label>
      {props.canEdit && (
        <div class="actions">
          <button type="submit">{c && !props.isNew ? 'Save' : 'Create appeal'}</button>
        </div>
      )}
    </form>
  );
}

export const MJML_STARTER = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="18px">Hello {{name}},</mj-text>
        <mj-text>Write your message here.</mj-text>
        <mj-text font-size="13px"><a href="{{unsubscribe_url}}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

/** A custom campaign: a designer's own MJML, and the topic whose readers get it. */
export function CustomForm(props: { admin: AdminPrincipal; campaign?: Campaign; canEdit: boolean; action: string; isNew?: boolean }) {
  const c = props.campaign;
  const content = c?.content as CustomContent | undefined;
  const dis = !props.canEdit;
  return (
    <form method="post" action={props.action} class="card form-card">
      <Csrf admin={props.admin} />
      <input type="hidden" name="kind" value="custom" />
      <SubjectFields c={c} dis={dis} />
      <label for="topic">Goes to readers who want</label>
      <select id="topic" name="topic" disabled={dis}>
        <option value="digest" selected={c?.topic !== 'appeals'}>
          the weekly digest
        </option>
        <option value="appeals" selected={c?.topic === 'appeals'}>
          appeals
        </option>
      </select>
      <label for="mjml">
        MJML <span class="hint">Must link to {'{{unsubscribe_url}}'}. {'{{name}}'} is the reader’s name. Errors are shown with their line.</span>
      </label>
      <textarea id="mjml" name="mjml" rows={18} required disabled={dis} spellcheck={false}>
        {content?.mjml ?? MJML_STARTER}
      </textarea>
      {props.canEdit && (
        <div class="actions">
          <button type="submit">{c && !props.isNew ? 'Save' : 'Create campaign'}</button>
        </div>
      )}
    </form>
  );
}
