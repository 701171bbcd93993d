import { Hono } from 'hono';
import * as z from 'zod';
import { topics } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../errors';
import { idParam, singleLine } from '../../http/fields';
import { parseOr400, readBody } from '../../http/read-body';
import { editSubscriber } from '../../subscribers/admin';
import { eraseSubscriber } from '../../subscribers/erasure';
import { getSubscriber } from '../../subscribers/queries';
import { readerData } from '../../subscribers/reader-data';
import { tagsField } from '../../subscribers/tags';
import { topicList, topicsField } from '../../subscribers/topics';
import { recordAudit } from '../audit';
import { adminOf, hasRole, requireRole, type AdminEnv } from '../auth';
import { deskAction, redirectWith, takeFlash } from '../flash';
import { Csrf, DeskLayout, PostButton } from '../layout';
import { formatInZone } from '../time';
import { EventList, Fact } from './reader-parts';

const editSchema = z.object({
  name: singleLine('The name', 100),
  topics: topicsField.default([]),
  tags: z
    .string()
    .default('')
    .transform((v) => v.split(/[\s,;]+/).filter(Boolean))
    .pipe(tagsField),
});

const eraseSchema = z.object({ confirm: z.string({ error: 'Type the reader’s address to confirm the erasure' }) });

/**
 * /admin/readers/:id: one reader's consent record, history, campaigns and clicks; editors edit
 * name, topics and tags, unsubscribe them (recorded as done by an editor) and erase them.
 * Erasure (GDPR art. 17) is for editors and owners, the people who answer a reader's request;
 * viewers read but change nothing. It asks for the address typed again, as the one step that
 * cannot be undone.
 */
export function readerPageRoutes(deps: Deps) {
  const app = new Hono<AdminEnv>();
  const zone = deps.config.siteTimezone;
  const at = (ms: number | null | undefined) => (ms == null ? '–' : formatInZone(ms, zone));
  const load = async (raw: string) => {
    const reader = await getSubscriber(deps.db, idParam(raw, 'No reader with this id.'));
    if (!reader) throw new AppError('not_found', 'No reader with this id. They may have been erased.');
    return reader;
  };

  app.get('/:id{[0-9]+}', async (c) => {
    const admin = adminOf(c);
    const reader = await load(c.req.param('id'));
    const data = (await readerData(deps.db, reader.id, deps.now()))!;
    const editor = hasRole(admin, 'editor');
    const base = `/admin/readers/${reader.id}`;
    const chosen = new Set(topicList(reader));
    const clicksOf = (campaignId: number) => data.clicks.filter((k) => k.campaignId === campaignId);
    return c.html(
      <DeskLayout title={reader.email} siteName={deps.config.siteName} section="readers" admin={admin} flash={takeFlash(c)}>
        <p class="crumbs">
          <a href="/admin/readers">Readers</a>
        </p>
        <div class="title-row start">
          <h1 class="address">{reader.email}</h1>
          <span class={`badge r-${reader.status}`}>{reader.status}</span>
        </div>
        {reader.name && <p class="lede">{reader.name}</p>}
        <div class="two">
          <section class="card" aria-labelledby="consent-h">
            <h2 id="consent-h">Consent record</h2>
            <dl class="facts">
              <Fact term="Signed up">{at(reader.consentAt)}</Fact>
              <Fact term="From IP">{reader.consentIp ?? '–'}</Fact>
              <Fact term="Browser">{reader.consentUserAgent ?? '–'}</Fact>
              <Fact term="Source">
                {reader.consentSource && /^https?:\/\//.test(reader.consentSource) ? <a href={reader.consentSource}>{reader.consentSource}</a> : (reader.consentSource ?? '–')}
              </Fact>
              <Fact term="Wording version">{reader.consentWording ?? '–'}</Fact>
              <Fact term="Confirmed">{at(reader.confirmedAt)}</Fact>
              <Fact term="Confirmed from IP">{reader.confirmIp ?? '–'}</Fact>
              {reader.unsubscribedAt !== null && <Fact term="Left">{at(reader.unsubscribedAt)}</Fact>}
              <Fact term="Topics">{[...chosen].join(', ') || 'none'}</Fact>
              <Fact term="Tags">{reader.tags.join(', ') || 'none'}</Fact>
            </dl>
            <div class="actions">
              <a class="button secondary" href={`/admin/api/subscribers/${reader.id}/export`} download>
                Download their data (JSON)
              </a>
            </div>
            <p class="hint">Everything Broadside holds about this reader, for a data access request (GDPR article 15).</p>
          </section>
          {editor ? (
            <form method="post" action={`${base}/edit`} class="card" aria-labelledby="edit-h">
              <Csrf admin={admin} />
              <h2 id="edit-h">Edit</h2>
              <label for="r-name">Name</label>
              <input id="r-name" name="name" type="text" value={reader.name ?? ''} maxlength={100} autocomplete="off" />
              <fieldset class="plain-fieldset">
                <legend>Topics</legend>
                {topics.map((t) => (
                  <label class="check">
                    <input type="checkbox" name="topics" value={t} checked={chosen.has(t)} /> {t === 'digest' ? 'Weekly digest' : 'Appeals'}
                  </label>
                ))}
              </fieldset>
              <label for="r-tags">
                Tags <span class="hint">Separated by commas, e.g. donor, board</span>
              </label>
              <input id="r-tags" name="tags" type="text" value={reader.tags.join(', ')} maxlength={900} autocomplete="off" />
              <div class="actions">
                <button type="submit">Save</button>
              </div>
            </form>
          ) : (
            <p class="card muted">Your account can read this page but not change the reader.</p>
          )}
        </div>
        <section class="card" aria-labelledby="sent-h">
          <h2 id="sent-h">Campaigns sent to them</h2>
          {data.deliveries.length === 0 ? (
            <p class="muted">None yet.</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Campaign</th>
                    <th scope="col">Sent</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Clicked</th>
                  </tr>
                </thead>
                <tbody>
                  {data.deliveries.map((d) => (
                    <tr>
                      <td>
                        <a href={`/admin/campaigns/${d.campaignId}/results`}>{d.subject}</a> <span class="muted small">{d.kind}</span>
                      </td>
                      <td class="small nowrap">{d.sentAt ? at(Date.parse(d.sentAt)) : '–'}</td>
                      <td class="small">{d.complainedAt ? 'complained' : d.bouncedAt ? 'bounced' : d.deliveredAt ? 'delivered' : d.status}</td>
                      <td class="small">
                        {clicksOf(d.campaignId).length === 0 ? (
                          '–'
                        ) : (
                          <ul class="plain">
                            {clicksOf(d.campaignId).map((k) => (
                              <li class="clip">
                                {k.url} {k.clicks > 1 ? `(${k.clicks}×)` : ''}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <section class="card" aria-labelledby="history-h">
          <h2 id="history-h">History</h2>
          <EventList events={data.events} zone={zone} />
        </section>
        {editor && (
          <section class="card danger-zone" aria-labelledby="leave-h">
            <h2 id="leave-h">Stop or erase</h2>
            {reader.status === 'active' || reader.status === 'pending' ? (
              <>
                <p>Unsubscribing stops all mail to them (recorded as done by an editor). They can subscribe again themself.</p>
                <PostButton admin={admin} action={`${base}/unsubscribe`} label="Unsubscribe them" class="secondary" />
              </>
            ) : (
              <p class="muted">They get no mail ({reader.status}).</p>
            )}
            <details class="erase">
              <summary>Erase this reader (GDPR article 17)…</summary>
              <form method="post" action={`${base}/erase`}>
                <Csrf admin={admin} />
                <p>
                  Erasing deletes their address, name, consent record and history from every table, and cannot be undone. Past campaigns keep their counts, anonymously. The address can then not
                  be imported or added again by anyone on the desk; only the reader can sign up again from the form.
                </p>
                <label for="erase-confirm">Type their address to confirm</label>
                <input id="erase-confirm" name="confirm" type="text" required autocomplete="off" spellcheck={false} />
                <div class="actions">
                  <button type="submit" class="danger">
                    Erase {reader.email}
                  </button>
                </div>
              </form>
            </details>
          </section>
        )}
      </DeskLayout>,
    );
  });

  app.post('/:id{[0-9]+}/edit', async (c) => {
    requireRole(c, 'editor');
    const reader = await load(c.req.param('id'));
    const { data } = await readBody(c, { arrays: ['topics'] });
    const back = `/admin/readers/${reader.id}`;
    return deskAction(c, back, async () => {
      const input = parseOr400(editSchema, data);
      await editSubscriber(deps, reader, input);
      return redirectWith(c, back, { kind: 'ok', text: 'Saved.' });
    });
  });

  app.post('/:id{[0-9]+}/unsubscribe', async (c) => {
    requireRole(c, 'editor');
    const reader = await load(c.req.param('id'));
    const after = await editSubscriber(deps, reader, { status: 'unsubscribed' });
    return redirectWith(c, `/admin/readers/${reader.id}`, after.status === 'unsubscribed' ? { kind: 'ok', text: `${reader.email} is unsubscribed and gets no more mail.` } : { kind: 'warn', text: `${reader.email} already gets no mail (${after.status}).` });
  });

  app.post('/:id{[0-9]+}/erase', async (c) => {
    const admin = requireRole(c, 'editor');
    const reader = await load(c.req.param('id'));
    const { data } = await readBody(c);
    const back = `/admin/readers/${reader.id}`;
    return deskAction(c, back, async () => {
      const { confirm } = parseOr400(eraseSchema, data);
      if (confirm.trim().toLowerCase() !== reader.email.toLowerCase()) {
        throw new AppError('bad_request', 'The address you typed is not this reader’s, so nothing was erased.');
      }
      await eraseSubscriber(deps, reader.id);
      // The address is gone; the audit log names the reader by id only.
      await recordAudit(deps.db, { actor: admin.actor, action: 'subscriber.erased', target: `subscriber ${reader.id}`, at: deps.now() });
      return redirectWith(c, '/admin/readers', { kind: 'ok', text: `Reader ${reader.id} was erased. Their address can no longer be imported or added.` });
    });
  });
  return app;
}
