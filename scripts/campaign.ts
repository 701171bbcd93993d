/**
 * The editor's command line: the same as the admin API, against the same database.
 *
 *   npm run campaign -- list
 *   npm run campaign -- weekly                 build this week's digest (as the schedule does)
 *   npm run campaign -- send <id> [--at ISO]   start (or schedule) a send
 *   npm run campaign -- send <id> --wait       start it and send it from here, with a progress bar
 *   npm run campaign -- watch <id>             show progress until the send ends
 *   npm run campaign -- pause|resume|cancel <id>
 *   npm run campaign -- run [--until-idle]     run the sender here (when the server is not running)
 *
 * Reads the same environment as `npm start` (DATABASE_URL, RESEND_API_KEY, …).
 */
import '../src/node/production-mode';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { deliveryCounts, getCampaign, listCampaigns } from '../src/campaigns/queries';
import { ConfigError, parseConfig } from '../src/config';
import type { Deps, Logger } from '../src/deps';
import { AppError } from '../src/errors';
import { buildNodeDeps } from '../src/node/deps';
import { runSendLoop } from '../src/sending/send-loop';

// Building and starting a campaign render it (react-email, MJML); those modules are imported by
// the commands that need them, so `run`, the sender, keeps them out of its memory.
const lifecycle = () => import('../src/sending/lifecycle');

const usage = `Usage: npm run campaign -- <command> [options]
  list                         campaigns, newest first
  weekly                       build this week's digest now
  send <id> [--at ISO] [--wait] start or schedule a send; --wait sends from here with a progress bar
  watch <id>                   progress of a send until it ends
  pause <id> | resume <id> | cancel <id>
  run [--until-idle]           run the sender in this process
Options for run/--wait: --concurrency N (chunks in flight; default from SEND_RATE, 2 at 2 requests/s,
  12 at 50), --lease-ms N (default 60000)`;

/** Warnings and errors on stderr as plain lines; info stays quiet so the progress bar stays clean. */
const cliLogger: Logger = {
  info: () => undefined,
  warn: (message, fields) => console.error(`warning: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  error: (message, fields) => console.error(`error: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
};

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const idArg = (raw: string | undefined) => {
  const id = Number(raw);
  if (!raw || !Number.isSafeInteger(id) || id <= 0) fail(`A campaign id is needed.\n\n${usage}`);
  return id;
};

async function load(deps: Deps, id: number) {
  const campaign = await getCampaign(deps.db, id);
  if (!campaign) fail(`No campaign with id ${id}.`);
  return campaign;
}

async function watch(deps: Deps, id: number, sending?: Promise<void>) {
  const interactive = process.stderr.isTTY;
  const bar = new SingleBar(
    { format: ' {bar} {percentage}% | {value}/{total} sent | {failed} failed | {status}', hideCursor: true, noTTYOutput: !interactive, notTTYSchedule: 5000 },
    Presets.shades_classic,
  );
  let campaign = await load(deps, id);
  let counts = await deliveryCounts(deps.db, id);
  bar.start(counts.audience || 1, counts.sent, { failed: counts.failed, status: campaign.status });
  let finished = false;
  void sending?.finally(() => (finished = true));
  for (;;) {
    campaign = await load(deps, id);
    counts = await deliveryCounts(deps.db, id);
    bar.setTotal(counts.audience || 1);
    bar.update(counts.sent, { failed: counts.failed, status: campaign.status });
    if (!['sending', 'scheduled'].includes(campaign.status) || finished) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  console.log(`Campaign ${id}: ${campaign.status}. ${counts.sent} sent, ${counts.failed} failed, ${counts.skipped} skipped of ${counts.audience}.${campaign.statusReason ? ` ${campaign.statusReason}` : ''}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      at: { type: 'string' },
      wait: { type: 'boolean', default: false },
      'until-idle': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
      'lease-ms': { type: 'string', default: '60000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, arg] = positionals;
  if (!command || values.help) {
    console.log(usage);
    return;
  }
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const leaseMs = Number(values['lease-ms']);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) fail('--concurrency must be a whole number of at least 1.');
  if (!Number.isInteger(leaseMs) || leaseMs < 100) fail('--lease-ms must be a whole number of at least 100.');
  const loopOptions = { concurrency, policy: { leaseMs } };

  const { deps, settle, close } = await buildNodeDeps(parseConfig(process.env), cliLogger);
  try {
    switch (command) {
      case 'list': {
        const rows = await listCampaigns(deps.db, { limit: 50, offset: 0 });
        if (!rows.length) console.log('No campaigns yet.');
        for (const c of rows) {
          const n = await deliveryCounts(deps.db, c.id);
          console.log(`${String(c.id).padStart(5)}  ${c.kind.padEnd(7)} ${c.status.padEnd(10)} ${String(n.sent).padStart(7)}/${String(n.audience).padEnd(7)} ${c.subject}`);
        }
        break;
      }
      case 'weekly': {
        const { buildWeeklyDigest } = await import('../src/digests/weekly');
        const result = await buildWeeklyDigest(deps);
        console.log(result.created ? `Digest ${result.campaign.id} (${result.campaign.isoWeek}) built with ${result.articleCount} articles: ${result.campaign.status}.` : result.reason);
        break;
      }
      case 'send': {
        const id = idArg(arg);
        let at: number | undefined;
        if (values.at !== undefined) {
          at = Date.parse(values.at);
          if (Number.isNaN(at)) fail(`--at must be an ISO 8601 time, e.g. 2026-11-30T07:00:00Z (got "${values.at}").`);
        }
        const { sendCampaign } = await lifecycle();
        const started = await sendCampaign(deps, await load(deps, id), at);
        console.log(`Campaign ${id} is ${started.status}${started.scheduledAt && started.status === 'scheduled' ? ` for ${new Date(started.scheduledAt).toISOString()}` : ''}.`);
        if (values.wait) {
          const sending = runSendLoop(deps, { ...loopOptions, untilIdle: true });
          await watch(deps, id, sending);
          await sending;
        }
        break;
      }
      case 'watch':
        await watch(deps, idArg(arg));
        break;
      case 'pause':
      case 'resume':
      case 'cancel': {
        const id = idArg(arg);
        const { pauseCampaign, resumeCampaign, cancelCampaign } = await lifecycle();
        const act = { pause: pauseCampaign, resume: resumeCampaign, cancel: cancelCampaign }[command];
        const after = await act(deps, await load(deps, id));
        console.log(`Campaign ${id} is ${after.status}.`);
        break;
      }
      case 'run':
        await runSendLoop(deps, { ...loopOptions, untilIdle: values['until-idle'] });
        break;
      default:
        fail(`Unknown command "${command}".\n\n${usage}`);
    }
  } finally {
    await settle();
    close();
  }
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof AppError) fail(err.message);
  console.error(err);
  process.exit(1);
});
