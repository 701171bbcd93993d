import type { Article } from '../../articles/queries';
import type { Campaign, DigestContent } from '../../db/schema';
import type { AdminPrincipal } from '../sessions';
import { Csrf, PostButton } from '../layout';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The digest's articles in order, each with move, feature and remove buttons (plain forms). */
export function DigestArticles(props: { admin: AdminPrincipal; campaign: Campaign; articles: Article[]; recent: Article[]; canEdit: boolean }) {
  const content = props.campaign.content as DigestContent;
  const base = `/admin/campaigns/${props.campaign.id}/articles`;
  const inDigest = new Set(content.articleIds);
  const addable = props.recent.filter((a) => !inDigest.has(a.id));
  return (
    <section class="card" aria-labelledby="articles-h">
      <h2 id="articles-h">Articles ({props.articles.length})</h2>
      {props.articles.length === 0 && <p class="flash warn">This digest has no articles. Add at least one before previewing or sending.</p>}
      <ol class="plain articles">
        {props.articles.map((a, i) => {
          const featured = content.featuredId === a.id;
          return (
            <li data-article-id={a.id}>
              <div>
                <strong>
                  {i + 1}. {a.title}
                </strong>{' '}
                {featured && <span class="badge s-sent">featured</span>}
                <div class="meta">
                  {[a.author, day(a.publishedAt), a.imageUrl ? 'with image' : 'no image'].filter(Boolean).join(' · ')} ·{' '}
                  <a href={a.url} rel="noreferrer noopener" target="_blank">
                    open
                  </a>
                </div>
              </div>
              {props.canEdit && (
                <div class="row-actions">
                  <PostButton admin={props.admin} action={`${base}/${a.id}/up`} label="Up" class="secondary small" disabled={i === 0} ariaLabel={`Move “${a.title}” up`} />
                  <PostButton admin={props.admin} action={`${base}/${a.id}/down`} label="Down" class="secondary small" disabled={i === props.articles.length - 1} ariaLabel={`Move “${a.title}” down`} />
                  {!featured && <PostButton admin={props.admin} action={`${base}/${a.id}/feature`} label="Feature" class="secondary small" ariaLabel={`Feature “${a.title}”`} />}
                  <PostButton admin={props.admin} action={`${base}/${a.id}/remove`} label="Remove" class="secondary small" ariaLabel={`Remove “${a.title}”`} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {props.canEdit && (
        <form method="post" action={`${base}/add`} class="actions" style="align-items:flex-end">
          <Csrf admin={props.admin} />
          <div style="flex:1;min-width:14rem">
            <label for="add-article" style="margin-top:0">
              Add a recent article
            </label>
            <select id="add-article" name="articleId" disabled={addable.length === 0}>
              {addable.length === 0 && <option value="">Every recent article is in the digest</option>}
              {addable.map((a) => (
                <option value={String(a.id)}>
                  {day(a.publishedAt)} — {a.title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary" disabled={addable.length === 0}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}

/** Subject, preheader, intro (Markdown, with a live preview when scripts run) and the appeal block. */
export function DigestContentForm(props: { admin: AdminPrincipal; campaign: Campaign; canEdit: boolean }) {
  const c = props.campaign;
  const content = c.content as DigestContent;
  const block = content.appealBlock;
  const dis = !props.canEdit;
  return (
    <form method="post" action={`/admin/campaigns/${c.id}/content`} class="card" aria-labelledby="content-h">
      <Csrf admin={props.admin} />
      <h2 id="content-h">Subject and intro</h2>
      <label for="subject">
        Subject <span class="hint">What readers see in their inbox. 30–70 characters reads well on a phone.</span>
      </label>
      <input id="subject" name="subject" type="text" value={c.subject} required maxlength={200} disabled={dis} data-count />
      <label for="preheader">
        Preheader <span class="hint">The line after the subject in most inboxes.</span>
      </label>
      <input id="preheader" name="preheader" type="text" value={c.preheader ?? ''} maxlength={200} disabled={dis} />
      <label for="intro">
        Intro <span class="hint">Markdown: **bold**, _italic_, [a link](https://…), blank line between paragraphs.</span>
      </label>
      <textarea id="intro" name="intro" rows={8} disabled={dis} data-live-preview={`/admin/campaigns/${c.id}/markdown-preview`} aria-describedby="intro-preview-h">
        {content.intro}
      </textarea>
      <div class="live-preview" hidden>
        <p id="intro-preview-h" class="hint">
          Live preview of the intro
        </p>
        <iframe title="Live preview of the intro" sandbox="" class="intro-frame" style="width:100%;height:12rem;border:1px solid var(--line);border-radius:6px;background:#fff"></iframe>
      </div>
      <fieldset style="border:1px solid var(--line);border-radius:6px;margin:1.25rem 0 0;padding:.5rem 1rem 1rem">
        <legend style="font-weight:600;padding:0 .3rem">Appeal block</legend>
        <label class="check">
          <input type="checkbox" name="appeal_on" value="1" checked={!!block} disabled={dis} /> Show a donation appeal at the end of this digest
        </label>
        <label for="appeal_headline">Headline</label>
        <input id="appeal_headline" name="appeal_headline" type="text" value={block?.headline ?? 'Keep independent news free'} maxlength={200} disabled={dis} />
        <label for="appeal_body">Text (Markdown)</label>
        <textarea id="appeal_body" name="appeal_body" rows={3} disabled={dis}>
          {block?.body ?? 'Readers like you fund every story. If you can, give what you can.'}
        </textarea>
        <label for="appeal_url">Donate link</label>
        <input id="appeal_url" name="appeal_donate_url" type="url" value={block?.donateUrl ?? ''} placeholder="https://…/donate" maxlength={2000} disabled={dis} />
        <label for="appeal_label">Button label</label>
        <input id="appeal_label" name="appeal_donate_label" type="text" value={block?.donateLabel ?? 'Donate'} maxlength={60} disabled={dis} />
      </fieldset>
      {props.canEdit && (
        <div class="actions">
          <button type="submit">Save</button>
        </div>
      )}
    </form>
  );
}
