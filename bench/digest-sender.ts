/**
 * The sending side of bench/digest-send.ts, in its own process so its peak memory is its own:
 * seeds N readers in a fresh libSQL file, builds a digest (or an appeal), then times startSend (the ledger) and
 * the send loop until the campaign is sent. Prints one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCampaign } from '../src/campaigns/create';
import { deliveryCounts, getCampaign } from '../src/campaigns/queries';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { runSendLoop } from '../src/sending/send-loop';
import { startSend } from '../src/sending/start-send';
import { seedArticles, seedReaders } from '../test/support/factories';

const readers = Number(process.argv[2]);
const kind = process.argv[3] === 'appeal' ? 'appeal' : 'digest';
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const dir = mkdtempSync(join(tmpdir(), 'broadside-bench-'));
const { deps, close } = await buildNodeDeps(
  parseConfig({ ...process.env, DATABASE_URL: `file:${join(dir, 'bench.db')}` }),
  quiet,
);
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

const rssBefore = process.memoryUsage().rss;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
// Where the resident memory is while sending: the V8 heap, or typed arrays and other memory
// outside it (request bodies, libSQL); the largest of each over the send.
const peak = { heapUsedMB: 0, heapTotalMB: 0, externalMB: 0, arrayBuffersMB: 0 };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1048576);
  peak.heapUsedMB = Math.max(peak.heapUsedMB, mb(m.heapUsed));
  peak.heapTotalMB = Math.max(peak.heapTotalMB, mb(m.heapTotal));
  peak.externalMB = Math.max(peak.externalMB, mb(m.external));
  peak.arrayBuffersMB = Math.max(peak.arrayBuffersMB, mb(m.arrayBuffers));
}, 100);
const cpuStart = cpuMs();
const started = performance.now();
await startSend(deps, campaign.id);
const ledgerMs = performance.now() - started;
await runSendLoop(deps, { untilIdle: true, concurrency: 4, idleMs: 50 });
const elapsedMs = performance.now() - started;
const sendCpuMs = cpuMs() - cpuStart;
clearInterval(sampler);

const counts = await deliveryCounts(deps.db, campaign.id);
const sentCampaign = (await getCampaign(deps.db, campaign.id))!;
const status = sentCampaign.status;
const emailKB = Math.round(((sentCampaign.renderedHtml?.length ?? 0) + (sentCampaign.renderedText?.length ?? 0)) / 102.4) / 10;
close();
rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    readers,
    kind,
    status,
    emailKB,
    sent: counts.sent,
    failed: counts.failed,
    ledgerMs: Math.round(ledgerMs),
    elapsedMs: Math.round(elapsedMs),
    sendCpuMs: Math.round(sendCpuMs),
    rssBeforeSendMB: Math.round(rssBefore / 1048576),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peak,
  }),
);
