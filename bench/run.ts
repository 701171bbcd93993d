/**
 * `npm run bench [-- personalise|digest|subscribe|import|desk]`: Broadside's quality targets, measured.
 * Method and results are in BENCHMARKS.md.
 */
import { benchDeskPages } from './desk-pages';
import { benchDigestSend } from './digest-send';
import { benchImport } from './import';
import { benchPersonalise } from './personalise';
import { benchSubscribe } from './subscribe-load';

const all = ['personalise', 'digest', 'subscribe', 'import', 'desk'] as const;
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : [...all];
const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
if (unknown.length) {
  console.error(`Unknown benchmark ${unknown.join(', ')}; choose from ${all.join(', ')}.`);
  process.exit(2);
}

console.log(`node ${process.version}, ${new Date().toISOString()}`);
if (wanted.includes('personalise')) {
  console.log('\n## Personalisation');
  console.table(await benchPersonalise());
}
if (wanted.includes('digest')) {
  console.log('\n## Campaign send against the local Resend server at 50 requests/s');
  console.table(
    await benchDigestSend([
      { kind: 'digest', readers: 20_000 },
      { kind: 'digest', readers: 100_000 },
      { kind: 'appeal', readers: 100_000 },
    ]),
  );
}
if (wanted.includes('subscribe')) {
  console.log('\n## POST /subscribe under load');
  console.table(await benchSubscribe());
}
if (wanted.includes('import')) {
  console.log('\n## CSV import and export (Mailchimp-style file, libSQL file database)');
  console.table(await benchImport());
}
if (wanted.includes('desk')) {
  console.log('\n## Desk pages with 100,000 readers (server time)');
  console.table(await benchDeskPages());
}
