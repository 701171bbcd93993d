/**
 * Where a sender's CPU goes per chunk, stage by stage, without the network: prepares a campaign
 * like bench/digest-prepare.ts (in a temporary file), then for each chunk runs the send loop's
 * steps one at a time (claim, freeze and members, build, batch body, mark sent and finish) and sums
 * each one's CPU time. A diagnostic for the send target, not part of `npm run bench`.
 * `npx tsx bench/digest-stages.ts [readers]`
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCampaign } from '../src/campaigns/create';
import { getCampaign } from '../src/campaigns/queries';
import { parseConfig } from '../src/config';
import type { Logger } from '../src/deps';
import { resendBatchBody } from '../src/mailer/resend-batch-body';
import { buildNodeDeps } from '../src/node/deps';
import { CampaignMessages } from '../src/sending/campaign-messages';
import { claimChunk, freezeChunk, markChunkSent } from '../src/sending/chunk-queries';
import { startSend } from '../src/sending/start-send';
import { seedArticles, seedReaders } from '../test/support/factories';

const readers = Number(process.argv[2] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'broadside-stages-'));
const quiet: Logger = { info: () => undefined, warn: () => undefined, error: (m, f) => console.error(m, f) };
const env = { SECRET: 'bench-secret-0123456789abcdef0123456789abcdef', ADMIN_TOKEN: 'bench-admin-token-0123456789', MAIL_FROM: 'The Riverside Ledger <newsletter@news.example.org>' };
const { deps, close } = await buildNodeDeps(parseConfig({ ...process.env, ...env, DATABASE_URL: `file:${join(dir, 'stages.db')}` }), quiet);
await seedReaders(deps.db, readers, { name: 'Reader' });
const found = await seedArticles(deps.db, 10, Date.now());
const draft = await createCampaign(deps, { kind: 'digest', subject: 'This week', intro: 'Good morning.', articleIds: found.map((a) => a.id), featuredId: found[0]!.id });
await startSend(deps, draft.id);
const campaign = (await getCampaign(deps.db, draft.id))!;
const messages = new CampaignMessages(deps, campaign);
// Diagnostics: STAGES_DROP=deliveries_counts_update,deliveries_provider_idx drops those triggers or indexes first.
for (const name of (process.env.STAGES_DROP ?? '').split(',').filter(Boolean)) {
  await deps.db.run(sql.raw(name.endsWith('_idx') ? `drop index ${name}` : `drop trigger ${name}`));
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const stages: Record<string, number> = {};
async function stage<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  const t = cpu();
  const r = await f();
  stages[name] = (stages[name] ?? 0) + cpu() - t;
  return r;
}
let chunks = 0;
// The mailer writes each body into the buffer of a finished one (resend-mailer.ts): so does this.
let spare: Uint8Array<ArrayBuffer> | undefined;
for (;;) {
  const now = Date.now();
  const claim = await stage('claim', () => claimChunk(deps.db, { now, leaseMs: 60_000 }));
  if (!claim) break;
  chunks++;
  const members = await stage('freeze and members', () => freezeChunk(deps.db, campaign, claim.chunk, now));
  const batch = await stage('build', () => Promise.all(members.map((m) => messages.build(m))));
  const body = await stage('body', () => resendBatchBody(batch, spare));
  spare = new Uint8Array(body.buffer);
  const ids = members.map(() => randomUUID());
  await stage('mark sent and finish', () => markChunkSent(deps.db, { campaignId: campaign.id, chunk: claim.chunk, members, ids, now }));
}
close();
rmSync(dir, { recursive: true, force: true });
const total = Object.values(stages).reduce((a, b) => a + b, 0);
console.table(Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { 'CPU ms per chunk': Math.round((v / chunks) * 100) / 100, 'ms per 1,000 emails': Math.round((v / readers) * 1000) }])));
console.log(`${chunks} chunks, ${Math.round((total / readers) * 1000)} CPU ms per 1,000 emails in these stages`);
