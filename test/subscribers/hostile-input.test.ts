import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, linkIn, pathOf, type TestApp } from '../support/test-app';

/**
 * What an outside attack found on the public forms: malformed multipart answered 500, addresses
 * with characters nobody can see were stored, and the "check your inbox" page linked wherever a
 * crafted form said.
 */
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { ALLOWED_ORIGINS: 'https://www.example.org,*' } });
});
afterEach(() => t.close());

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const readers = async () => (await (await t.admin('/admin/api/subscribers')).json()).total as number;

async function activeReader(email: string) {
  await t.app.request('/subscribe', json({ email }));
  const confirmation = (await t.outbox()).find((m) => m.to === email && m.html.includes('/confirm/'))!;
  const confirm = pathOf(linkIn(confirmation.html, '/confirm'));
  await t.app.request(confirm, { method: 'POST' });
  const welcome = (await t.outbox()).find((m) => m.to === email && m.html.includes('/unsubscribe/'))!;
  return { confirm, unsubscribe: pathOf(linkIn(welcome.html, '/unsubscribe')), preferences: pathOf(linkIn(welcome.html, '/preferences')) };
}

const multipart = {
  'no boundary': { type: 'multipart/form-data', body: 'email=a@example.org' },
  'a wrong boundary': {
    type: 'multipart/form-data; boundary=XYZ',
    body: '--ABC\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.org\r\n--ABC--\r\n',
  },
  'a truncated body': {
    type: 'multipart/form-data; boundary=XYZ',
    body: '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\na@exam',
  },
};

describe('malformed multipart is a 400 with a clear message, never a 500', () => {
  for (const [name, { type, body }] of Object.entries(multipart)) {
    it(`${name}: /subscribe, /preferences/:token and /unsubscribe/:token`, async () => {
      const links = await activeReader('reader@example.net');
      for (const path of ['/subscribe', links.preferences, links.unsubscribe]) {
        const res = await t.app.request(path, { method: 'POST', headers: { 'content-type': type }, body });
        expect(res.status, path).toBe(400);
        expect(await res.text(), path).toMatch(/malformed or cut off/);
      }
      // Nothing changed: still one reader, still subscribed.
      expect(await readers()).toBe(1);
      const r = (await (await t.admin('/admin/api/subscribers')).json()).subscribers[0];
      expect(r.status).toBe('active');
    });
  }

  it('a well-formed multipart sign-up still works', async () => {
    const fd = new FormData();
    fd.set('email', 'multi@example.org');
    expect((await t.app.request('/subscribe', { method: 'POST', body: fd })).status).toBe(200);
    expect(await readers()).toBe(1);
  });

  it('a one-click unsubscribe sent as multipart (RFC 8058) gets the empty 200', async () => {
    const links = await activeReader('oneclick@example.org');
    const fd = new FormData();
    fd.set('List-Unsubscribe', 'One-Click');
    const res = await t.app.request(links.unsubscribe, { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

describe('addresses a person cannot see are refused', () => {
  const unseen: [string, string][] = [
    ['U+202E right-to-left override', 'gro.elpmaxe@\u202Eevil'],
    ['U+202A left-to-right embedding', 'vic\u202Atim@example.org'],
    ['U+2066 isolate', 'vic\u2066tim@example.org'],
    ['U+200E mark', 'victim\u200E@example.org'],
    ['U+200B zero-width space', 'vic\u200Btim@example.org'],
    ['U+200D zero-width joiner', 'vic\u200Dtim@example.org'],
    ['U+2060 word joiner', 'vic\u2060tim@example.org'],
    ['U+FEFF byte-order mark', '\uFEFFvictim@example.org'],
    ['U+2028 line separator', 'vic\u2028tim@example.org'],
    ['U+2029 paragraph separator', 'victim@example.org\u2029'],
    ['U+0085 next line', 'vic\u0085tim@example.org'],
    ['U+0007 bell', 'vic\u0007tim@example.org'],
    ['U+00A0 no-break space', 'vic\u00A0tim@example.org'],
    ['U+FF20 full-width @', 'victim\uFF20example.org'],
    ['U+FE6B small @', 'victim\uFE6Bexample.org@example.org'],
    ['U+FF0E full-width dot', 'victim@example\uFF0Eorg'],
    ['U+FFFD replacement character', 'vic\uFFFDtim@example.org'],
  ];
  for (const [name, email] of unseen) {
    it(`${name}: /subscribe and the admin API`, async () => {
      const res = await t.app.request('/subscribe', json({ email }));
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(/cannot be seen or looks like another \(U\+[0-9A-F]{4}\)/);
      const added = await t.admin('/admin/api/subscribers', { method: 'POST', body: JSON.stringify({ email }) });
      expect(added.status).toBe(400);
      expect(await readers()).toBe(0);
      expect(await t.outbox()).toHaveLength(0);
    });
  }

  it('invalid UTF-8 in a form post (decoded to U+FFFD) is refused', async () => {
    const body = new Uint8Array([...new TextEncoder().encode('email=vic'), 0xff, ...new TextEncoder().encode('tim%40example.org')]);
    const res = await t.app.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(400);
    expect(await readers()).toBe(0);
  });

  it('letters beyond ASCII that people can see are still welcome', async () => {
    expect((await t.app.request('/subscribe', json({ email: 'zoë.müller@example.org' }))).status).toBe(202);
    expect(await readers()).toBe(1);
  });
});

describe('the "check your inbox" page links back only to the site', () => {
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  const backLink = async (res: Response) => {
    const html = await res.text();
    expect(html).toContain('Check your inbox');
    return /<a href="([^"]*)">Back to the (article|site)<\/a>/.exec(html)?.[1];
  };

  it('an article on SITE_URL or an ALLOWED_ORIGINS origin is linked', async () => {
    expect(await backLink(await t.app.request('/subscribe', form({ email: 'a@example.org', source: 'https://news.example.org/2026/river' })))).toBe(
      'https://news.example.org/2026/river',
    );
    expect(await backLink(await t.app.request('/subscribe', form({ email: 'b@example.org', source: 'https://www.example.org/story' })))).toBe(
      'https://www.example.org/story',
    );
  });

  it('any other posted source or Referer gets a link to SITE_URL instead', async () => {
    for (const source of ['https://evil.example/phish', 'https://news.example.org.evil.example/', 'https://news.example.org@evil.example/', 'http://news.example.org/x']) {
      expect(await backLink(await t.app.request('/subscribe', form({ email: 'c@example.org', source })))).toBe('https://news.example.org');
    }
    expect(await backLink(await t.app.request('/subscribe', form({ email: 'd@example.org' }, { referer: 'https://evil.example/' })))).toBe(
      'https://news.example.org',
    );
  });
});
