/**
 * Where an email's bytes go: inline styles, classes, URLs, text, other attributes, the head and
 * its <style>, the preheader, the footer, and one of the digest's other stories.
 *
 *   npx tsx scripts/email-size.ts [email.html]
 *
 * Without a file: the 10-article digest of bench/personalise.ts as sent to one reader (real
 * signed unsubscribe and preferences links), the figure it reports as "digest html size".
 * The parts overlap (a URL is inside an attribute inside a story); each is a sum of UTF-8 bytes.
 */
import { readFile } from 'node:fs/promises';
import { renderDigestEmail } from '../src/emails/render';
import { compilePersonalised } from '../src/emails/personalise';
import { createPlaceholders } from '../src/emails/placeholders';
import { campaignReaderLinks } from '../src/subscribers/links';
import { TokenSigner } from '../src/tokens';
import { TrackingSigner, newTrackingKey } from '../src/tracking/tracking-tokens';
import { benchDigestProps } from '../bench/digest-props';

/** The same digest as bench/personalise.ts. */
async function benchDigest(): Promise<string> {
  const props = benchDigestProps;
  const placeholders = createPlaceholders();
  const personalise = compilePersonalised(await renderDigestEmail({ ...props, ...placeholders.values }), placeholders);
  const base = 'https://newsletter.example.org';
  const signer = new TokenSigner('bench-secret-0123456789abcdef0123456789abcdef');
  const tracking = await TrackingSigner.fromKey(newTrackingKey());
  return personalise({
    name: 'Zoë O’Brien',
    ...campaignReaderLinks({ signer, config: { publicUrl: base } }, 7, 1795400000_000)(48211),
    viewInBrowserUrl: `${base}/archive/7`,
    readerToken: tracking.readerSigner(7)(48211),
  }).html;
}

const bytes = (s: string) => Buffer.byteLength(s);
const sum = (re: RegExp, src: string) => [...src.matchAll(re)].reduce((n, m) => n + bytes(m[0]), 0);

export function breakdown(html: string): Record<string, number> {
  const head = html.slice(0, html.indexOf('<body'));
  // Before issue 14's last pass the padding had a div of its own, and the classes were longer.
  const preheader = /<div style="display:none[^>]*>[^<]*(?:<div>[^<]*<\/div>)?<\/div>/.exec(html)?.[0] ?? '';
  const body = html.slice(html.indexOf('<body')).replace(preheader, '');
  const rows = body.split(/(?=<tr)/);
  const story = rows.filter((r) => /class="(?:qh|bsh|bs-thumb)"/.test(r))[2] ?? '';
  const footer = rows[rows.length - 1] ?? '';
  const urls = [...html.matchAll(/ (?:href|src)="([^"]*)"/g)].map((m) => m[1] ?? '');
  return {
    total: bytes(html),
    'inline styles (style="…")': sum(/ style="[^"]*"/g, html),
    'classes (class="…")': sum(/ class="[^"]*"/g, html),
    [`URLs (${urls.length} href/src values)`]: urls.reduce((n, u) => n + bytes(u), 0),
    'text (body, outside tags, without the preheader)': bytes(body.replace(/<[^>]*>/g, '')),
    'other attributes (width, height, dir, valign, alt, title, role, cellpadding, …)': sum(
      / (?:width|height|dir|valign|align|role|cellPadding|cellSpacing|colSpan|title|alt|lang)="[^"]*"/g,
      html,
    ),
    head: bytes(head),
    '  its <style>s (Outlook’s too)': sum(/<style>[\s\S]*?<\/style>/g, head),
    preheader: bytes(preheader),
    'footer (its band and the closing tags)': bytes(footer),
    'one other story (the third)': bytes(story),
    '  its inline styles': sum(/ style="[^"]*"/g, story),
  };
}

const file = process.argv[2];
const html = file ? await readFile(file, 'utf8') : await benchDigest();
console.table(breakdown(html));
