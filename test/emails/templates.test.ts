import { describe, expect, it } from 'vitest';
import {
  renderAlreadySubscribedEmail,
  renderAppealEmail,
  renderConfirmEmail,
  renderDigestEmail,
  renderWelcomeEmail,
} from '../../src/emails/render';
import type { RenderedEmail } from '../../emails/_components/types';
import { digestProps, elements, manyArticles, samplePersonal, sampleSite } from './helpers';

const confirmUrl = 'https://news.example/confirm/tok-1';
const preferencesUrl = 'https://news.example/preferences/tok-2';
const unsubscribeUrl = 'https://news.example/unsubscribe/tok-3';

const renderAll = async (): Promise<Record<string, RenderedEmail>> => ({
  confirm: await renderConfirmEmail({ site: sampleSite, name: 'Zoë', confirmUrl, topics: ['digest', 'appeals'] }),
  welcome: await renderWelcomeEmail({ site: sampleSite, preferencesUrl, unsubscribeUrl, topics: ['digest'] }),
  alreadySubscribed: await renderAlreadySubscribedEmail({ site: sampleSite, preferencesUrl }),
  digest: await renderDigestEmail(digestProps()),
  appeal: await renderAppealEmail({
    site: sampleSite,
    ...samplePersonal,
    headline: 'Keep the Courier free',
    body: 'We need **your** help.',
    donateUrl: 'https://www.northgate-courier.example/support/',
    progress: { label: '£6,000 of £10,000 raised', fraction: 0.6 },
  }),
});

const hrefs = (html: string) => elements(html, 'a').map((a) => a.href);

describe('every template', async () => {
  const emails = await renderAll();

  it.each(Object.keys(emails))('%s has a subject, an HTML part and a text part naming the site', (name) => {
    const email = emails[name] as RenderedEmail;
    expect(email.subject.length).toBeGreaterThan(5);
    expect(email.html).toMatch(/^<!DOCTYPE html/);
    expect(email.html).toContain('<html dir="ltr" lang="en">');
    expect(email.text).toContain(sampleSite.name);
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it.each(Object.keys(emails))('%s carries no script, event handler or javascript: URL', (name) => {
    const { html } = emails[name] as RenderedEmail;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it.each(Object.keys(emails))('%s declares light and dark colour schemes', (name) => {
    const { html } = emails[name] as RenderedEmail;
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(html).toMatch(/@media \(prefers-color-scheme: ?dark\)/);
  });

  it.each(Object.keys(emails))('%s links only to absolute URLs', (name) => {
    for (const href of hrefs((emails[name] as RenderedEmail).html)) {
      expect(href).toMatch(/^(https?:|mailto:)/);
    }
  });

  it.each(Object.keys(emails))('%s shows the contact line and privacy link in the footer', (name) => {
    const { html } = emails[name] as RenderedEmail;
    expect(html).toContain('14 Ropewalk Lane');
    expect(hrefs(html)).toContain(sampleSite.privacyUrl);
  });
});

describe('images', () => {
  it('every image has alt text and explicit width and height', async () => {
    const { html } = await renderDigestEmail(
      digestProps({
        articles: [
          ...manyArticles(3),
          {
            title: 'A picture without alt text from the feed',
            url: 'https://www.northgate-courier.example/no-alt',
            image: { src: 'https://www.northgate-courier.example/p.jpg' },
          },
        ],
      }),
    );
    const images = elements(html, 'img');
    expect(images.length).toBe(4);
    for (const img of images) {
      expect(img.alt?.trim()).toBeTruthy();
      expect(Number(img.width)).toBeGreaterThan(0);
      expect(Number(img.height)).toBeGreaterThan(0);
    }
    expect(images.map((i) => i.alt)).toContain('A picture without alt text from the feed');
  });

  it('keeps the picture’s proportions when its size is known', async () => {
    const { html } = await renderDigestEmail(
      digestProps({
        featured: {
          title: 'Tall picture',
          url: 'https://www.northgate-courier.example/tall',
          image: { src: 'https://www.northgate-courier.example/tall.jpg', alt: 'A lighthouse', width: 800, height: 1000 },
        },
      }),
    );
    const lead = elements(html, 'img').find((i) => i.alt === 'A lighthouse');
    expect(lead).toMatchObject({ width: '552', height: '690' });
  });
});

describe('confirm email', () => {
  it('links the button to the confirm page, lists the topics and says what to do if it was not you', async () => {
    const email = await renderConfirmEmail({ site: sampleSite, confirmUrl, topics: ['digest'] });
    expect(email.subject).toBe('Confirm your subscription to The Northgate Courier');
    expect(hrefs(email.html)).toContain(confirmUrl);
    expect(email.text).toContain(`Confirm my subscription ${confirmUrl}`);
    expect(email.text).toContain('The weekly digest');
    expect(email.text).not.toContain('Appeals');
    expect(email.text).toContain('If this wasn’t you, ignore this email');
    expect(email.text).toContain('Dear reader,');
  });

  it('offers no unsubscribe link: the address is not subscribed yet', async () => {
    const email = await renderConfirmEmail({ site: sampleSite, confirmUrl, topics: ['digest', 'appeals'] });
    expect(email.text).not.toMatch(/unsubscribe/i);
  });

  it('escapes a hostile name instead of interpreting it', async () => {
    const email = await renderConfirmEmail({
      site: sampleSite,
      name: '<img src=x onerror=alert(1)> & "Bob"',
      confirmUrl,
      topics: ['digest'],
    });
    expect(email.html).toContain('Dear &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bob&quot;,');
    expect(email.text).toContain('Dear <img src=x onerror=alert(1)> & "Bob",');
  });
});

describe('welcome and already-subscribed emails', () => {
  it('welcome links to preferences and unsubscribe and says what to expect', async () => {
    const email = await renderWelcomeEmail({
      site: sampleSite,
      name: 'O’Brien',
      preferencesUrl,
      unsubscribeUrl,
      topics: ['digest', 'appeals'],
    });
    expect(email.subject).toBe('Welcome to The Northgate Courier');
    expect(hrefs(email.html)).toEqual(expect.arrayContaining([preferencesUrl, unsubscribeUrl, sampleSite.url]));
    expect(email.text).toContain('Dear O’Brien,');
    expect(email.text).toContain('The weekly digest');
    expect(email.text).toContain('Appeals');
  });

  it('already-subscribed points to preferences and changes nothing', async () => {
    const email = await renderAlreadySubscribedEmail({ site: sampleSite, preferencesUrl });
    expect(email.subject).toBe('You are already subscribed to The Northgate Courier');
    expect(email.text).toContain(`Manage my preferences ${preferencesUrl}`);
    expect(email.text).toContain('nothing has changed');
  });
});

describe('digest', () => {
  it('puts the lead story first, then the others, then the appeal and the footer links', async () => {
    const articles = manyArticles(4);
    const email = await renderDigestEmail(digestProps({ articles }));
    const order = [
      email.text.indexOf('## Featured'),
      email.text.indexOf(`### ${articles[0]?.title}`),
      email.text.indexOf('## Also this week'),
      email.text.indexOf(`### ${articles[3]?.title}`),
      email.text.indexOf('## Keep local news free to read'),
      email.text.indexOf(`Unsubscribe ${samplePersonal.unsubscribeUrl}`),
      email.text.indexOf(`Manage preferences ${samplePersonal.preferencesUrl}`),
      email.text.indexOf(`View in browser ${samplePersonal.viewInBrowserUrl}`),
    ];
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(email.subject).toBe(`The Northgate Courier: ${articles[0]?.title}`);
  });

  it('leads with the editor’s featured article when one is chosen', async () => {
    const featured = { title: 'The editor’s pick', url: 'https://www.northgate-courier.example/pick' };
    const email = await renderDigestEmail(digestProps({ featured }));
    expect(email.text.indexOf('### The editor’s pick')).toBeLessThan(email.text.indexOf('## Also this week'));
  });

  it('greets the reader only above an editor’s note', async () => {
    expect((await renderDigestEmail(digestProps())).text).toContain('Dear Zoë,');
    expect((await renderDigestEmail(digestProps({ intro: undefined }))).text).not.toContain('Dear');
  });

  it('escapes article text from the feed', async () => {
    const email = await renderDigestEmail(
      digestProps({ articles: [{ title: '<script>alert(1)</script> & more', url: 'https://x.example/a' }] }),
    );
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });

  it('with 12 articles, an intro and an appeal stays under Gmail’s 102 KB clipping limit', async () => {
    const email = await renderDigestEmail(
      digestProps({ articles: manyArticles(12), intro: 'Welcome to this week’s issue. '.repeat(40) }),
    );
    expect(elements(email.html, 'img').length).toBeGreaterThanOrEqual(8);
    expect(Buffer.byteLength(email.html, 'utf8')).toBeLessThan(102 * 1000);
  });
});

describe('appeal', () => {
  it('has the headline, the body, the donate button and the progress line', async () => {
    const email = await renderAppealEmail({
      site: sampleSite,
      ...samplePersonal,
      name: null,
      headline: 'Keep the Courier free',
      body: 'We need **your** help this winter.',
      donateUrl: 'https://www.northgate-courier.example/support/',
      donateLabel: 'Give now',
      progress: { label: '£6,000 of £10,000 raised', fraction: 0.6 },
    });
    expect(email.subject).toBe('Keep the Courier free');
    expect(email.text).toContain('# Keep the Courier free');
    expect(email.text).toContain('Dear reader,');
    expect(email.text).toContain('We need your help this winter.');
    expect(email.text).toContain('Give now https://www.northgate-courier.example/support/');
    expect(email.text).toContain('£6,000 of £10,000 raised');
    expect(email.html).toContain('width="60%"');
    expect(email.text).toContain(`Unsubscribe ${samplePersonal.unsubscribeUrl}`);
  });
});
