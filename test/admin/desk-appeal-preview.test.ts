import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app';
import { addAccount, postForm, signInAs } from './support/desk';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('the new appeal form\u2019s live preview, before the first save', () => {
  it('the form asks for it and loads the desk script; the letter renders as the email does, with no script allowed, and nothing is stored', async () => {
    await addAccount(t, 'editor@news.example.org', 'editor');
    const s = await signInAs(t, 'editor@news.example.org');
    const page = await (await t.app.request('/admin/campaigns/new?kind=appeal', { headers: { cookie: s.cookie } })).text();
    expect(page).toContain('data-live-preview="/admin/campaigns/markdown-preview"');
    expect(page).toMatch(/<script src="\/admin\/assets\/desk.js" defer/);
    // Without the script the form is the same plain form: the preview box stays hidden.
    expect(page).toMatch(/<div class="live-preview" hidden/);

    const res = await postForm(t, s, '/admin/campaigns/markdown-preview', { markdown: 'Dear reader,\n\n**Every story** is paid for by you.<script>alert(1)</script>' });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    const html = await res.text();
    expect(html).toContain('<strong>Every story</strong>');
    expect((await (await t.admin('/admin/api/campaigns')).json()).campaigns).toHaveLength(0);
  });

  it('a viewer is refused, and without a session nothing is rendered', async () => {
    await addAccount(t, 'viewer@news.example.org', 'viewer');
    const s = await signInAs(t, 'viewer@news.example.org');
    expect((await postForm(t, s, '/admin/campaigns/markdown-preview', { markdown: 'hi' })).status).toBe(403);
    expect((await t.app.request('/admin/campaigns/markdown-preview', { method: 'POST', body: 'markdown=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(401);
  });
});
