import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { addAccount, postForm, signInAs } from './support/desk';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('custom MJML campaigns in the desk', () => {
  it('MJML errors are shown with their line, and nothing is created', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const mjml = '<mjml>\n  <mj-body>\n    <mj-section>\n      <mj-column>\n        <mj-text foo="bar">Hello</mj-text>\n      </mj-column>\n    </mj-section>\n  </mj-body>\n</mjml>';
    const res = await postForm(t, s, '/admin/campaigns', { kind: 'custom', subject: 'Our annual report is out', topic: 'digest', mjml });
    // The form comes back with the MJML as typed and the error with its line.
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(/class="flash bad">([^<]*)</.exec(html)?.[1]).toMatch(/Line 5: .*foo/);
    expect(html).toContain('&lt;mj-text foo=&quot;bar&quot;&gt;Hello&lt;/mj-text&gt;');
    expect((await (await t.admin('/admin/api/campaigns')).json()).campaigns).toHaveLength(0);
  });

  it('a custom body without {{unsubscribe_url}} cannot pass the preflight, even acknowledged', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const mjml = '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text></mj-column></mj-section></mj-body></mjml>';
    const res = await postForm(t, s, '/admin/campaigns', { kind: 'custom', subject: 'Our annual report is out', topic: 'digest', mjml });
    const href = res.headers.get('location')!;
    expect(href).toMatch(/^\/admin\/campaigns\/\d+$/);
    const html = await (await t.app.request(`${href}/send`, { headers: { cookie: s.cookie } })).text();
    expect(html).toMatch(/data-check="unsubscribe" data-ok="false"/);
    const refused = await postForm(t, s, `${href}/send`, { step: 'confirm', ack: 'unsubscribe' });
    expect(refused.status).toBe(303);
    expect((await (await t.admin(href.replace('/admin/', '/admin/api/'))).json()).status).toBe('draft');
  });
});
