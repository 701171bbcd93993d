/**
 * The sending half of bench/digest-send.ts, in its own process so its peak memory is its own: a
 * lean sender, like `npm run campaign -- run`, that loads the send path only (no renderers: the
 * stored render is all it needs). Runs the send loop until the campaign prepared by
 * bench/digest-prepare.ts is sent. Prints one JSON line.
 */
import '../src/node/production-mode';
import { deliveryCounts, getCampaign } from '../src/campaigns/queries';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { buildNodeDeps } from '../src/node/deps';
import { sendLanes } from '../src/sending/lanes';
import { runSendLoop } from '../src/sending/send-loop';
import { recordFetches } from './send-timeline';

const [dbFile, campaignIdArg] = process.argv.slice(2);
const campaignId = Number(campaignIdArg);
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
// Every request's start and answer, for the timeline (bench/send-timeline.ts).
const fetches = recordFetches();
const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, DATABASE_URL: `file:${dbFile}` }), quiet);

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
// When the send's last chunk was recorded: the end of the last batch the loop wrote, which is
// the final chunk's markChunkSent (it also finishes the campaign; afterwards the lanes only look
// for work, find none and return, those sleeping between looks up to idleMs later).
let recordedAt = 0;
let recordedAtMs = 0;
const batch = deps.db.batch.bind(deps.db);
deps.db.batch = async (queries: unknown) => {
  try {
    return await batch(queries);
  } finally {
    recordedAt = performance.now();
    recordedAtMs = Date.now();
  }
};
const cpuStart = cpuMs();
const started = performance.now();
const loopStart = Date.now();
// Looks for work every 50 ms (so the send ends promptly) but starts and finishes campaigns once a
// second, as `npm run campaign -- run` does (its idleMs is the default 1 s). As many lanes as an
// operator's sender has at this SEND_RATE (src/sending/lanes.ts), unless BENCH_SEND_LANES says.
const lanes = process.env.BENCH_SEND_LANES ? Number(process.env.BENCH_SEND_LANES) : sendLanes(deps.config.sendRate, 'node');
await runSendLoop(deps, { untilIdle: true, concurrency: lanes, idleMs: 50, housekeepingMs: 1000 });
const loopReturnedMs = performance.now() - started;
const elapsedMs = recordedAt > started ? recordedAt - started : loopReturnedMs;
const loopEnd = Date.now();
const sendCpuMs = cpuMs() - cpuStart;
clearInterval(sampler);

const counts = await deliveryCounts(deps.db, campaignId);
const sentCampaign = (await getCampaign(deps.db, campaignId))!;
const emailKB = Math.round(((sentCampaign.renderedHtml?.length ?? 0) + (sentCampaign.renderedText?.length ?? 0)) / 102.4) / 10;
close();
console.log(
  JSON.stringify({
    status: sentCampaign.status,
    lanes,
    emailKB,
    sent: counts.sent,
    failed: counts.failed,
    elapsedMs: Math.round(elapsedMs),
    loopReturnedMs: Math.round(loopReturnedMs),
    sendCpuMs: Math.round(sendCpuMs),
    rssBeforeSendMB: Math.round(rssBefore / 1048576),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    peak,
    timeline: { loopStart, loopEnd, recordedAt: recordedAtMs, fetches },
  }),
);
