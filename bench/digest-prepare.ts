/**
 * The first half of bench/digest-send.ts, in a process of its own: seeds N readers in the given
 * libSQL file, builds a digest (or an appeal) and starts its send, timing startSend (the render
 * and the ledger: one set-based INSERT … SELECT). The sending is bench/digest-sender.ts's, in
 * another process, as with `npm run campaign -- send <id>` and a separate `npm run campaign -- run`.
 * Prints one JSON line.
 */
import '../src/node/production-mode';
import { createCampaign } from '../src/campaigns/create';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { startSend } from '../src/sending/start-send';
import { seedArticles, seedReaders } from '../test/support/factories';

const [readersArg, kindArg, dbFile] = process.argv.slice(2);
const readers = Number(readersArg);
const kind = kindArg === 'appeal' ? 'appeal' : 'digest';
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, DATABASE_URL: `file:${dbFile}` }), quiet);
await seedReaders(deps.db, readers, { name: 'Reader' });
const found = await seedArticles(deps.db, 10, Date.now());
const campaign =
  kind === 'digest'
    ? await createCampaign(deps, { kind: 'digest', subject: 'This week', intro: 'Good morning.', articleIds: found.map((a) => a.id), featuredId: found[0]!.id })
    : await createCampaign(deps, {
        kind: 'appeal',
        subject: 'Keep local news free to read',
        body: 'We rely on **readers like you**. Every gift keeps a reporter in the council chamber.\n\nThank you for reading.',
        donateUrl: 'https://news.example.org/donate',
      });
const cpu = process.cpuUsage();
const started = performance.now();
await startSend(deps, campaign.id);
const ledgerMs = performance.now() - started;
const ledgerCpu = process.cpuUsage(cpu);
close();
console.log(JSON.stringify({ campaignId: campaign.id, ledgerMs: Math.round(ledgerMs), ledgerCpuMs: Math.round((ledgerCpu.user + ledgerCpu.system) / 1000), prepareMaxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
